package dev.jpyxis.domain.config;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every {@code key=value} argument the plugstack line accepts: the seven keys of pyxis 0.24 and jpyxis's own.
 * The table documents each key; {@link PluginConfig#parse} gives each its grammar.
 */
public enum ConfigKey {
    RUNTIME_PATH("runtime_path", "/run/pyxis", true,
            "Directory for per-user runtime files (<runtime_path>/<uid>, mode 0700): temporary squashfs"
                    + " imports, importer files. Exported to the runtime and importer as PYXIS_RUNTIME_PATH."),
    EXECUTE_ENTRYPOINT("execute_entrypoint", "false", true,
            "Default for --[no-]container-entrypoint."),
    CONTAINER_SCOPE("container_scope", "global", true,
            "'job': names are prefixed with the job id and the job epilog removes the job's containers;"
                    + " 'global': named containers outlive the job."),
    SBATCH_SUPPORT("sbatch_support", "true", true,
            "Accept the --container-* options in sbatch and salloc; when false they are not registered there, so"
                    + " those clients refuse them as unrecognized options. Read by the native shim itself."),
    USE_ENROOT_LOAD("use_enroot_load", "false", true,
            "Use 'enroot load' (direct extraction) instead of import + create, except for dockerd:// images."
                    + " Ignored when an importer is set."),
    IMPORTER("importer", "", true,
            "Absolute path of an importer executable ('get URI' prints a squashfs path, 'release' frees it);"
                    + " empty disables it."),
    USE_SQUASHFUSE("use_squashfuse", "false", true,
            "Start unnamed, unsaved containers straight from a squashfs file (squashfuse + overlay)"
                    + " instead of unpacking it."),
    IMAGE_UNPACK("image_unpack", "auto", false,
            "'auto': an unnamed, unsaved container that is not explicitly writable starts from its squashfs image in"
                    + " place (squashfuse + overlay, writes in a per-step tmpfs) where the node can, instead of"
                    + " unpacking the image for every step; 'always': unpack it as pyxis does."),
    IMAGE_CACHE("image_cache", "/var/tmp/jpyxis-cache", false,
            "Absolute path of the node's image cache: a docker:// or dockerd:// image a user imported is kept in"
                    + " <image_cache>/<uid> (mode 0700, the user's) and reused by that user's later steps while its"
                    + " registry digest is unchanged; empty disables the cache."),
    IMAGE_CACHE_SIZE("image_cache_size", "25%", false,
            "The most one user's cached images may take on a node: a size (800M, 50G) or a share of the cache's"
                    + " file system (25%); the least recently used images go first."),
    RUNTIME("runtime", "enroot", false,
            "The container runtime behind the plugin: 'enroot' or 'charliecloud'."),
    JAVA("java", "", false,
            "Absolute path of the java launcher that runs the jpyxis engine; empty: the JVM 'jpyxis install' chose"
                    + " (lib/jvm.default), else the first 'java' in /usr/local/bin:/usr/bin:/bin. Read by the native"
                    + " shim itself."),
    ENGINE_TIMEOUT("engine_timeout", "60", false,
            "The longest, in seconds (15 to 86400), the plugin waits for the jpyxis engine without hearing from it;"
                    + " the engine says it is alive every few seconds while it works (an import may take an hour)."
                    + " Past it the engine and every command it runs are killed and the step or the epilog fails"
                    + " with a message naming the timeout; a node is never drained for it. Read by the native shim"
                    + " itself."),
    PROGRESS_INTERVAL("progress_interval", "10", false,
            "How often, in seconds (0 to 86400), each node tells the user how a long image import, load or unpack"
                    + " goes while it runs: 'pyxis: still importing IMAGE, N s, M MB written to disk (node HOST)' (or"
                    + " 'still unpacking') on srun's stderr, M being what the runtime's processes wrote to disk so far"
                    + " (writes to a tmpfs do not count)."
                    + " 0 turns that line off; the line saying that an import begins stays."),
    JVM_OPTIONS("jvm_options", "", false,
            "Extra JVM flags for the engine, separated by commas (e.g. -Xmx48m,-XX:TieredStopAtLevel=1)."
                    + " Read by the native shim itself."),
    ENGINE_DEBUG("engine_debug", "false", false,
            "Keep the engine's debug log on the node: every step engine of a user appends to"
                    + " <runtime_path>/<uid>/engine.log what it received and answered, every message at every level"
                    + " and its errors with their stack traces. For debugging a node: it holds the jobs' command lines.");

    private final String key;
    private final String defaultValue;
    private final boolean fromPyxis;
    private final String description;

    ConfigKey(String key, String defaultValue, boolean fromPyxis, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.fromPyxis = fromPyxis;
        this.description = description;
    }

    public String key() {
        return key;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** Whether pyxis 0.24 has this key (the others are jpyxis's own). */
    public boolean fromPyxis() {
        return fromPyxis;
    }

    public String description() {
        return description;
    }

    /** The key whose {@code key=} prefix starts the argument, matched exactly and case-sensitively. */
    public static Optional<ConfigKey> forArgument(String argument) {
        return Arrays.stream(values()).filter(k -> argument.startsWith(k.key + "=")).findFirst();
    }
}
