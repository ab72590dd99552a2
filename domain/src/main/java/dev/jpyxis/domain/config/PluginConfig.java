package dev.jpyxis.domain.config;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The plugin's configuration: the {@code key=value} arguments that follow the plugin path on the plugstack line.
 */
public record PluginConfig(
        String runtimePath,
        boolean executeEntrypoint,
        ContainerScope containerScope,
        boolean sbatchSupport,
        boolean useEnrootLoad,
        Optional<String> importer,
        boolean useSquashfuse,
        ImageUnpack imageUnpack,
        Optional<String> imageCache,
        ImageCacheSize imageCacheSize,
        RuntimeKind runtime,
        Optional<String> java,
        int engineTimeoutSeconds,
        List<String> jvmOptions,
        boolean engineDebug,
        int progressIntervalSeconds) {

    /** The pyxis release whose options, configuration and messages this plugin matches. */
    public static final String PYXIS_VERSION = "0.24.0";

    /** {@code engine_timeout}'s default and bounds, in seconds. */
    public static final int DEFAULT_ENGINE_TIMEOUT = 60;
    public static final int MIN_ENGINE_TIMEOUT = 15;
    public static final int MAX_ENGINE_TIMEOUT = 86400;

    /** {@code progress_interval}'s default and bounds, in seconds; 0 turns the periodic line off. */
    public static final int DEFAULT_PROGRESS_INTERVAL = 10;
    public static final int MAX_PROGRESS_INTERVAL = 86400;

    /** Pyxis refuses paths of this many bytes or more. */
    public static final int PATH_MAX = 4096;

    public PluginConfig {
        jvmOptions = List.copyOf(jvmOptions);
    }

    public static PluginConfig defaults() {
        return new PluginConfig("/run/pyxis", false, ContainerScope.GLOBAL, true, false, Optional.empty(), false,
                ImageUnpack.AUTO, Optional.of("/var/tmp/jpyxis-cache"), new ImageCacheSize.Share(25),
                RuntimeKind.ENROOT, Optional.empty(), DEFAULT_ENGINE_TIMEOUT, List.of(), false,
                DEFAULT_PROGRESS_INTERVAL);
    }

    /** Parses a plugstack tail as a whitespace-separated string, e.g. {@code "container_scope=job runtime=enroot"}. */
    public static PluginConfig parse(String arguments) {
        String trimmed = arguments.strip();
        return parse(trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("\\s+")));
    }

    /**
     * Parses the plugstack arguments one by one; a repeated key takes its last value.
     *
     * @throws InvalidConfigurationException with pyxis's text for the first bad argument
     */
    public static PluginConfig parse(List<String> arguments) {
        Builder config = new Builder(defaults());
        for (String argument : arguments) {
            ConfigKey key = ConfigKey.forArgument(argument).orElseThrow(
                    () -> new InvalidConfigurationException("pyxis: unknown configuration option: " + argument));
            config.set(key, argument.substring(key.key().length() + 1));
        }
        return config.build();
    }

    private static final class Builder {
        private String runtimePath;
        private boolean executeEntrypoint;
        private ContainerScope containerScope;
        private boolean sbatchSupport;
        private boolean useEnrootLoad;
        private Optional<String> importer;
        private boolean useSquashfuse;
        private ImageUnpack imageUnpack;
        private Optional<String> imageCache;
        private ImageCacheSize imageCacheSize;
        private RuntimeKind runtime;
        private Optional<String> java;
        private int engineTimeoutSeconds;
        private List<String> jvmOptions;
        private boolean engineDebug;
        private int progressIntervalSeconds;

        Builder(PluginConfig from) {
            runtimePath = from.runtimePath;
            executeEntrypoint = from.executeEntrypoint;
            containerScope = from.containerScope;
            sbatchSupport = from.sbatchSupport;
            useEnrootLoad = from.useEnrootLoad;
            importer = from.importer;
            useSquashfuse = from.useSquashfuse;
            imageUnpack = from.imageUnpack;
            imageCache = from.imageCache;
            imageCacheSize = from.imageCacheSize;
            runtime = from.runtime;
            java = from.java;
            engineTimeoutSeconds = from.engineTimeoutSeconds;
            jvmOptions = from.jvmOptions;
            engineDebug = from.engineDebug;
            progressIntervalSeconds = from.progressIntervalSeconds;
        }

        void set(ConfigKey key, String value) {
            switch (key) {
                case RUNTIME_PATH -> runtimePath = shortPath(key, value);
                case EXECUTE_ENTRYPOINT -> executeEntrypoint = bool(key, value);
                case CONTAINER_SCOPE -> containerScope =
                        ContainerScope.byKeyword(value).orElseThrow(() -> invalidValue(key, value));
                case SBATCH_SUPPORT -> sbatchSupport = bool(key, value);
                case USE_ENROOT_LOAD -> useEnrootLoad = bool(key, value);
                case IMPORTER -> importer = optionalPath(key, value);
                case USE_SQUASHFUSE -> useSquashfuse = bool(key, value);
                case IMAGE_UNPACK -> imageUnpack = ImageUnpack.byKeyword(value)
                        .orElseThrow(() -> invalidValue(key, value));
                case IMAGE_CACHE -> imageCache = absolutePath(key, value);
                case IMAGE_CACHE_SIZE -> imageCacheSize = ImageCacheSize.parse(value)
                        .orElseThrow(() -> invalidValue(key, value));
                case RUNTIME -> runtime = RuntimeKind.byKeyword(value).orElseThrow(() -> invalidValue(key, value));
                case JAVA -> java = absolutePath(key, value);
                case JVM_OPTIONS -> jvmOptions = jvmFlags(key, value);
                case ENGINE_TIMEOUT -> engineTimeoutSeconds = seconds(key, value, MIN_ENGINE_TIMEOUT,
                        MAX_ENGINE_TIMEOUT);
                case ENGINE_DEBUG -> engineDebug = bool(key, value);
                case PROGRESS_INTERVAL -> progressIntervalSeconds = seconds(key, value, 0, MAX_PROGRESS_INTERVAL);
            }
        }

        PluginConfig build() {
            return new PluginConfig(runtimePath, executeEntrypoint, containerScope, sbatchSupport, useEnrootLoad,
                    importer, useSquashfuse, imageUnpack, imageCache, imageCacheSize, runtime, java,
                    engineTimeoutSeconds, jvmOptions, engineDebug, progressIntervalSeconds);
        }
    }

    private static boolean bool(ConfigKey key, String value) {
        return PyxisBoolean.parse(value).orElseThrow(() -> invalidValue(key, value));
    }

    private static String shortPath(ConfigKey key, String value) {
        if (value.getBytes(StandardCharsets.UTF_8).length >= PATH_MAX) {
            throw new InvalidConfigurationException("pyxis: " + key.key() + ": path too long: " + value);
        }
        return value;
    }

    private static Optional<String> optionalPath(ConfigKey key, String value) {
        String path = shortPath(key, value);
        return path.isEmpty() ? Optional.empty() : Optional.of(path);
    }

    private static Optional<String> absolutePath(ConfigKey key, String value) {
        Optional<String> path = optionalPath(key, value);
        if (path.isPresent() && !path.get().startsWith("/")) {
            throw new InvalidConfigurationException("pyxis: " + key.key() + ": path must be absolute: " + value);
        }
        return path;
    }

    private static int seconds(ConfigKey key, String value, int min, int max) {
        if (!value.matches("[0-9]{1,6}")) {
            throw invalidValue(key, value);
        }
        int seconds = Integer.parseInt(value);
        if (seconds < min || seconds > max) {
            throw invalidValue(key, value);
        }
        return seconds;
    }

    private static List<String> jvmFlags(ConfigKey key, String value) {
        if (value.isEmpty()) {
            return List.of();
        }
        List<String> flags = Arrays.asList(value.split(",", -1));
        if (flags.stream().anyMatch(flag -> !flag.startsWith("-") || flag.length() < 2)) {
            throw invalidValue(key, value);
        }
        return flags;
    }

    private static InvalidConfigurationException invalidValue(ConfigKey key, String value) {
        return new InvalidConfigurationException("pyxis: " + key.key() + ": invalid value: " + value);
    }
}
