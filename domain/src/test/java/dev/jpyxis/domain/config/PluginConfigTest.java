package dev.jpyxis.domain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("plugstack.conf configuration")
class PluginConfigTest {

    private static String errorOf(String arguments) {
        return assertThrows(InvalidConfigurationException.class, () -> PluginConfig.parse(arguments)).lines().get(0);
    }

    @Test
    @DisplayName("defaults: /run/pyxis, no entrypoint, global scope, sbatch on, no load, no importer, no squashfuse")
    void defaults() {
        PluginConfig config = PluginConfig.parse("");
        assertEquals("/run/pyxis", config.runtimePath());
        assertFalse(config.executeEntrypoint());
        assertEquals(ContainerScope.GLOBAL, config.containerScope());
        assertTrue(config.sbatchSupport());
        assertFalse(config.useEnrootLoad());
        assertEquals(Optional.empty(), config.importer());
        assertFalse(config.useSquashfuse());
        assertEquals(RuntimeKind.ENROOT, config.runtime());
        assertEquals(Optional.empty(), config.java());
        assertEquals(List.of(), config.jvmOptions());
        assertEquals(PluginConfig.defaults(), config);
    }

    @Test
    @DisplayName("every key is read from its key=value argument")
    void everyKey() {
        PluginConfig config = PluginConfig.parse("runtime_path=/var/run/px execute_entrypoint=1 container_scope=job"
                + " sbatch_support=no use_enroot_load=y importer=/opt/imp use_squashfuse=true runtime=charliecloud"
                + " java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java jvm_options=-Xmx32m,-XX:+UseSerialGC");
        assertEquals("/var/run/px", config.runtimePath());
        assertTrue(config.executeEntrypoint());
        assertEquals(ContainerScope.JOB, config.containerScope());
        assertFalse(config.sbatchSupport());
        assertTrue(config.useEnrootLoad());
        assertEquals(Optional.of("/opt/imp"), config.importer());
        assertTrue(config.useSquashfuse());
        assertEquals(RuntimeKind.CHARLIECLOUD, config.runtime());
        assertEquals(Optional.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"), config.java());
        assertEquals(List.of("-Xmx32m", "-XX:+UseSerialGC"), config.jvmOptions());
    }

    @Test
    @DisplayName("duplicate keys: the last one wins")
    void lastWins() {
        assertEquals(ContainerScope.GLOBAL,
                PluginConfig.parse("container_scope=job container_scope=global").containerScope());
    }

    @ParameterizedTest(name = "unknown argument ''{0}''")
    @ValueSource(strings = {"remap_root=1", "epilog=1", "Container_scope=job", "container_scope", "foo",
        "runtime_path"})
    void unknownArgument(String argument) {
        assertEquals("pyxis: unknown configuration option: " + argument, errorOf(argument));
    }

    @ParameterizedTest(name = "{0}={1} is an invalid boolean")
    @CsvSource({"execute_entrypoint,TRUE", "sbatch_support,2", "use_enroot_load,", "use_squashfuse,on"})
    void invalidBoolean(String key, String value) {
        String shown = value == null ? "" : value;
        assertEquals("pyxis: " + key + ": invalid value: " + shown, errorOf(key + "=" + shown));
    }

    @ParameterizedTest(name = "boolean word ''{0}'' is {1}")
    @CsvSource({"1,true", "true,true", "yes,true", "y,true", "0,false", "false,false", "no,false", "n,false"})
    void booleanGrammar(String word, boolean expected) {
        assertEquals(expected, PluginConfig.parse("use_squashfuse=" + word).useSquashfuse());
    }

    @ParameterizedTest(name = "container_scope={0} is invalid")
    @ValueSource(strings = {"Job", "jobs", "", "GLOBAL"})
    void invalidScope(String value) {
        assertEquals("pyxis: container_scope: invalid value: " + value, errorOf("container_scope=" + value));
    }

    @Test
    @DisplayName("paths of 4096 bytes or more are refused as too long; 4095 is fine")
    void pathTooLong() {
        String ok = "/" + "a".repeat(4094);
        String tooLong = "/" + "a".repeat(4095);
        assertEquals(ok, PluginConfig.parse("runtime_path=" + ok).runtimePath());
        assertEquals("pyxis: runtime_path: path too long: " + tooLong, errorOf("runtime_path=" + tooLong));
        assertEquals("pyxis: importer: path too long: " + tooLong, errorOf("importer=" + tooLong));
    }

    @Test
    @DisplayName("an empty importer disables it; an empty value is allowed for path keys")
    void emptyImporter() {
        assertEquals(Optional.empty(), PluginConfig.parse("importer=/x importer=").importer());
        assertEquals("", PluginConfig.parse("runtime_path=").runtimePath());
    }

    @Test
    @DisplayName("jpyxis keys: runtime names, absolute java path, dash-led JVM flags")
    void jpyxisKeys() {
        assertEquals("pyxis: runtime: invalid value: docker", errorOf("runtime=docker"));
        assertEquals("pyxis: java: path must be absolute: bin/java", errorOf("java=bin/java"));
        assertEquals("pyxis: jvm_options: invalid value: -Xmx32m,,-Xss1m", errorOf("jvm_options=-Xmx32m,,-Xss1m"));
        assertEquals("pyxis: jvm_options: invalid value: Xmx32m", errorOf("jvm_options=Xmx32m"));
        assertEquals(Optional.empty(), PluginConfig.parse("java=").java());
        assertEquals(List.of(), PluginConfig.parse("jvm_options=-Xmx1g jvm_options=").jvmOptions());
    }

    @Test
    @DisplayName("whitespace of any kind separates arguments")
    void whitespace() {
        assertEquals(ContainerScope.JOB, PluginConfig.parse("  container_scope=job\t sbatch_support=0 ")
                .containerScope());
        assertEquals(PluginConfig.defaults(), PluginConfig.parse(List.of()));
    }

    @Test
    @DisplayName("the key table names every key once, with pyxis's seven marked as such")
    void keyTable() {
        assertEquals(7, java.util.Arrays.stream(ConfigKey.values()).filter(ConfigKey::fromPyxis).count());
        for (ConfigKey key : ConfigKey.values()) {
            assertEquals(key, ConfigKey.forArgument(key.key() + "=x").orElseThrow());
            assertFalse(key.description().isBlank());
        }
        assertEquals("/run/pyxis", ConfigKey.RUNTIME_PATH.defaultValue());
    }

    @Test
    @DisplayName("engine_debug is a boolean, off by default")
    void engineDebug() {
        assertFalse(PluginConfig.defaults().engineDebug());
        assertTrue(PluginConfig.parse("engine_debug=yes").engineDebug());
        assertEquals("pyxis: engine_debug: invalid value: maybe", assertThrows(InvalidConfigurationException.class,
                () -> PluginConfig.parse("engine_debug=maybe")).getMessage());
    }

    @Test
    @DisplayName("the image cache is on by default, in /var/tmp/jpyxis-cache, each user's up to 25% of its disk")
    void imageCacheDefaults() {
        PluginConfig config = PluginConfig.defaults();
        assertEquals(Optional.of(ConfigKey.IMAGE_CACHE.defaultValue()), config.imageCache());
        assertEquals(ImageCacheSize.parse(ConfigKey.IMAGE_CACHE_SIZE.defaultValue()).orElseThrow(),
                config.imageCacheSize());
        assertEquals(new ImageCacheSize.Share(25), config.imageCacheSize());
    }

    @Test
    @DisplayName("image_cache= empty disables the cache; a relative path is refused")
    void imageCachePath() {
        assertEquals(Optional.empty(), PluginConfig.parse("image_cache=").imageCache());
        assertEquals(Optional.of("/scratch/cache"), PluginConfig.parse("image_cache=/scratch/cache").imageCache());
        assertEquals("pyxis: image_cache: path must be absolute: cache", errorOf("image_cache=cache"));
    }

    @ParameterizedTest(name = "image_cache_size={0} is {1} bytes of a 1000 GiB disk")
    @CsvSource({"800M,838860800", "50G,53687091200", "2T,2199023255552", "4096,4096", "1K,1024",
        "25%,268435456000", "100%,1073741824000", "1%,10737418240"})
    void imageCacheSizes(String value, long bytes) {
        assertEquals(bytes, PluginConfig.parse("image_cache_size=" + value).imageCacheSize().bytesOn(1000L << 30));
    }

    @ParameterizedTest(name = "image_cache_size={0} is invalid")
    @ValueSource(strings = {"", "0", "0%", "101%", "-1G", "1.5G", "10g", "10GB", "G", "99999999999T"})
    void invalidImageCacheSize(String value) {
        assertEquals("pyxis: image_cache_size: invalid value: " + value, errorOf("image_cache_size=" + value));
    }
}
