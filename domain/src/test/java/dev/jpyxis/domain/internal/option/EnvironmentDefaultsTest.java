package dev.jpyxis.domain.internal.option;

import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.option.TriState;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.message.Diagnostic;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("PYXIS_CONTAINER_* environment defaults")
class EnvironmentDefaultsTest {

    private List<Diagnostic> reported;

    private ContainerOptions withEnv(Map<String, String> env, String... args) {
        ContainerOptionsParser parser = new ContainerOptionsParser();
        Args.uses(args).forEach(parser::accept);
        reported = parser.applyEnvironmentDefaults(name -> Optional.ofNullable(env.get(name)));
        return parser.result();
    }

    @Test
    @DisplayName("every variable fills its unset option")
    void fillsUnsetOptions() {
        ContainerOptions options = withEnv(Map.ofEntries(
                Map.entry("PYXIS_CONTAINER_IMAGE", "ubuntu"),
                Map.entry("PYXIS_CONTAINER_MOUNTS", "/a:/b:ro"),
                Map.entry("PYXIS_CONTAINER_WORKDIR", "/w"),
                Map.entry("PYXIS_CONTAINER_NAME", "dev:exec"),
                Map.entry("PYXIS_CONTAINER_SAVE", "out.sqsh"),
                Map.entry("PYXIS_CONTAINER_MOUNT_HOME", "yes"),
                Map.entry("PYXIS_CONTAINER_REMAP_ROOT", "0"),
                Map.entry("PYXIS_CONTAINER_ENTRYPOINT", "true"),
                Map.entry("PYXIS_CONTAINER_ENTRYPOINT_LOG", "n"),
                Map.entry("PYXIS_CONTAINER_WRITABLE", "1"),
                Map.entry("PYXIS_CONTAINER_ENV", "A,B"),
                Map.entry("PYXIS_CONTAINER_UNSHARE", "ipc")));
        assertEquals("ubuntu", options.image().orElseThrow());
        assertEquals("x-create=auto,rbind,ro", options.mounts().get(0).flags());
        assertEquals("/w", options.workdir().orElseThrow());
        assertEquals(new ContainerNameRequest("dev", NameFlag.EXEC), options.name().orElseThrow());
        assertEquals("out.sqsh", options.save().orElseThrow());
        assertEquals(TriState.TRUE, options.mountHome());
        assertEquals(TriState.FALSE, options.remapRoot());
        assertEquals(TriState.TRUE, options.entrypoint());
        assertEquals(TriState.FALSE, options.entrypointLog());
        assertEquals(TriState.TRUE, options.writable());
        assertEquals(List.of("A", "B"), options.environmentNames());
        assertEquals(EnumSet.of(Namespace.IPC), options.unshare());
        assertTrue(reported.isEmpty());
    }

    @Test
    @DisplayName("a variable never overrides an option given on the command line")
    void commandLineWins() {
        ContainerOptions options = withEnv(Map.of(
                        "PYXIS_CONTAINER_IMAGE", "env-image",
                        "PYXIS_CONTAINER_MOUNTS", "/env:/env",
                        "PYXIS_CONTAINER_MOUNT_HOME", "1",
                        "PYXIS_CONTAINER_ENV", "ENVVAR",
                        "PYXIS_CONTAINER_UNSHARE", "net"),
                "--container-image=cli-image", "--container-mounts=/cli:/cli", "--no-container-mount-home",
                "--container-env=CLI", "--container-unshare=uts");
        assertEquals("cli-image", options.image().orElseThrow());
        assertEquals(List.of("/cli"), options.mounts().stream().map(MountEntry::source).toList());
        assertEquals(TriState.FALSE, options.mountHome());
        assertEquals(List.of("CLI"), options.environmentNames());
        assertEquals(EnumSet.of(Namespace.UTS), options.unshare());
    }

    @Test
    @DisplayName("a value the option would refuse is reported and ignored; the job proceeds")
    void rejectedValueIsIgnored() {
        ContainerOptions options = withEnv(Map.of("PYXIS_CONTAINER_IMAGE", "", "PYXIS_CONTAINER_NAME", ":x",
                "PYXIS_CONTAINER_SAVE", "/tmp/"), "--container-image=cli");
        assertEquals("cli", options.image().orElseThrow());
        assertTrue(options.name().isEmpty());
        assertTrue(options.save().isEmpty());
        assertEquals(List.of(Diagnostic.error("pyxis: --container-name: empty name"),
                Diagnostic.error("pyxis: --container-save: target is a directory")), reported);
    }

    @Test
    @DisplayName("an empty PYXIS_CONTAINER_IMAGE is reported as argument required and ignored")
    void emptyImage() {
        ContainerOptions options = withEnv(Map.of("PYXIS_CONTAINER_IMAGE", ""));
        assertTrue(options.image().isEmpty());
        assertEquals(List.of(Diagnostic.error("pyxis: --container-image: argument required")), reported);
    }

    @Test
    @DisplayName("for a list, entries parsed before the bad one remain")
    void listKeepsEarlierEntries() {
        ContainerOptions options = withEnv(Map.of("PYXIS_CONTAINER_MOUNTS", "/a:/a,bad:/b,/c:/c",
                "PYXIS_CONTAINER_ENV", "A,,B"));
        assertEquals(List.of("/a"), options.mounts().stream().map(MountEntry::source).toList());
        assertEquals(List.of("A"), options.environmentNames());
        assertEquals(3, reported.size());
    }

    @ParameterizedTest(name = "boolean ''{0}'' is ignored silently")
    @ValueSource(strings = {"TRUE", "Yes", "2", "", "on", "true "})
    void unparsableBooleanIgnoredSilently(String value) {
        ContainerOptions options = withEnv(Map.of("PYXIS_CONTAINER_REMAP_ROOT", value,
                "PYXIS_CONTAINER_WRITABLE", value));
        assertEquals(TriState.UNSET, options.remapRoot());
        assertEquals(TriState.UNSET, options.writable());
        assertTrue(reported.isEmpty());
    }

    @ParameterizedTest(name = "WRITABLE={0} READONLY={1} gives writable {2}")
    @CsvSource({"1,1,TRUE", "0,0,FALSE", "0,1,FALSE", "1,0,TRUE", "bad,1,FALSE", "bad,0,TRUE", "bad,bad,UNSET"})
    void writableWinsOverReadonly(String writable, String readonly, TriState expected) {
        assertEquals(expected, withEnv(Map.of("PYXIS_CONTAINER_WRITABLE", writable,
                "PYXIS_CONTAINER_READONLY", readonly)).writable());
    }

    @Test
    @DisplayName("READONLY alone applies when the command line set neither")
    void readonlyAlone() {
        assertEquals(TriState.FALSE, withEnv(Map.of("PYXIS_CONTAINER_READONLY", "y")).writable());
        assertEquals(TriState.TRUE,
                withEnv(Map.of("PYXIS_CONTAINER_READONLY", "y"), "--container-writable").writable());
    }

    @Test
    @DisplayName("PYXIS_CONTAINER_NAME goes through the option grammar")
    void nameGrammar() {
        assertEquals(List.of(Diagnostic.error(
                        "pyxis: --container-name: flag must be \"auto\", \"create\", \"exec\" or \"no_exec\"")),
                parserReport(Map.of("PYXIS_CONTAINER_NAME", "dev:bogus")));
    }

    @Test
    @DisplayName("unshare from the environment only applies when no namespace was given")
    void unshareCondition() {
        assertEquals(EnumSet.of(Namespace.NET),
                withEnv(Map.of("PYXIS_CONTAINER_UNSHARE", "ipc"), "--container-unshare=net").unshare());
    }

    private List<Diagnostic> parserReport(Map<String, String> env) {
        withEnv(env);
        return reported;
    }
}
