package dev.jpyxis.adapters.slurm.shim;

import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.domain.config.ConfigKey;
import dev.jpyxis.domain.config.ContainerScope;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.config.PyxisBoolean;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.plan.MountFlag;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Generates the values the native shim shares with Java ({@code shim_values.gen.h}): the plugstack keys it reads
 * itself and their words, the default {@code runtime_path} and {@code image_cache}, the {@code PYXIS_CONTAINER_}
 * prefix, the engine's entry point, the protocol version, the version banner, where to look when an engine
 * fails and the names of the mount flags a plan may use. The shim copies none of them by hand.
 */
public final class ShimValues {

    /** The class the shim starts as the engine; a test of the distribution pins it to the real class. */
    public static final String ENGINE_MAIN = "dev.jpyxis.dist.engine.EngineMain";

    /** Below the distribution's lib directory: {@code jvm/<real path of java>.args}, a prepared JVM's arguments. */
    public static final String JVM_DIRECTORY = "jvm";
    public static final String JVM_ARGUMENTS_SUFFIX = ".args";
    /** In lib: a link to the JVM {@code jpyxis install} chose, for plugstack lines without {@code java=}. */
    public static final String DEFAULT_JVM_LINK = "jvm.default";
    /** In lib: the arguments of a JVM that was not prepared (no startup cache). */
    public static final String DEFAULT_ARGUMENTS = "engine.args";

    /**
     * In {@code <runtime_path>/<uid>}: {@code epilog.<job id>}, left by a step engine when the job's epilog will have
     * work on the node; the shim starts no engine for the job epilog without it.
     */
    public static final String EPILOG_TRACE_PREFIX = "epilog.";
    /** What an epilog trace becomes when no engine of the job epilog answered: the user's next step sweeps the job. */
    public static final String ENDED_TRACE_PREFIX = "ended.";

    private ShimValues() {
    }

    /** Writes the header: {@code ShimValues OUTPUT.h JPYXIS_VERSION} (used by the build). */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ShimValues OUTPUT.h JPYXIS_VERSION");
        }
        Path output = Path.of(args[0]);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, header(args[1]), StandardCharsets.UTF_8);
    }

    /**
     * Where to look when a step's engine fails, as the user reads it after {@code "pyxis: "}: the shim puts the
     * node's name between the two parts.
     */
    public static List<String> engineLogHint() {
        return List.of("the jpyxis engine's messages are in slurmd's log on ", ", and in <"
                + ConfigKey.RUNTIME_PATH.key() + ">/<uid>/engine.log there when the plugstack line sets "
                + ConfigKey.ENGINE_DEBUG.key() + "=1 (see troubleshooting.md in jpyxis's docs)");
    }

    /** What slurmd logs at its start, after {@code "pyxis: "} and before the Slurm version. */
    public static String banner(String jpyxisVersion) {
        return "jpyxis " + jpyxisVersion + ", pyxis " + compatibleRelease() + " compatible";
    }

    /** The pyxis release jpyxis behaves as, {@code major.minor}. */
    static String compatibleRelease() {
        String version = PluginConfig.PYXIS_VERSION;
        return version.substring(0, version.lastIndexOf('.'));
    }

    public static String header(String jpyxisVersion) {
        StringBuilder c = new StringBuilder();
        c.append("/* Generated at build time by dev.jpyxis.adapters.slurm.shim.ShimValues. Do not edit. */\n");
        c.append("#ifndef JPYXIS_SHIM_VALUES_H\n#define JPYXIS_SHIM_VALUES_H\n\n");
        define(c, "JPYXIS_PROTOCOL", MessageCodec.PROTOCOL_VERSION);
        define(c, "JPYXIS_ENGINE_MAIN", ENGINE_MAIN);
        define(c, "JPYXIS_BANNER", banner(jpyxisVersion));
        define(c, "JPYXIS_JVM_DIRECTORY", JVM_DIRECTORY);
        define(c, "JPYXIS_JVM_ARGUMENTS_SUFFIX", JVM_ARGUMENTS_SUFFIX);
        define(c, "JPYXIS_DEFAULT_JVM_LINK", DEFAULT_JVM_LINK);
        define(c, "JPYXIS_DEFAULT_ARGUMENTS", DEFAULT_ARGUMENTS);
        define(c, "JPYXIS_EPILOG_TRACE_PREFIX", EPILOG_TRACE_PREFIX);
        define(c, "JPYXIS_ENDED_TRACE_PREFIX", ENDED_TRACE_PREFIX);
        define(c, "JPYXIS_ENV_PREFIX", ContainerOption.ENVIRONMENT_PREFIX);
        define(c, "JPYXIS_DEFAULT_RUNTIME_PATH", PluginConfig.defaults().runtimePath());
        define(c, "JPYXIS_DEFAULT_IMAGE_CACHE", PluginConfig.defaults().imageCache().orElse(""));
        define(c, "JPYXIS_SCOPE_JOB", ContainerScope.JOB.keyword());
        c.append("#define JPYXIS_DEFAULT_ENGINE_TIMEOUT ").append(PluginConfig.DEFAULT_ENGINE_TIMEOUT).append('\n');
        define(c, "JPYXIS_ENGINE_LOG_BEFORE", engineLogHint().get(0));
        define(c, "JPYXIS_ENGINE_LOG_AFTER", engineLogHint().get(1));
        for (ConfigKey key : List.of(ConfigKey.JAVA, ConfigKey.JVM_OPTIONS, ConfigKey.RUNTIME_PATH,
                ConfigKey.SBATCH_SUPPORT, ConfigKey.CONTAINER_SCOPE, ConfigKey.ENGINE_TIMEOUT,
                ConfigKey.IMAGE_CACHE)) {
            define(c, "JPYXIS_KEY_" + key.name(), key.key());
        }
        c.append("\n/* The mount(2) flags a plan may name, as X(name) for MS_<name> (MountFlag) */\n");
        c.append("#define JPYXIS_MOUNT_FLAGS");
        for (MountFlag flag : MountFlag.values()) {
            c.append(" X(").append(flag.name()).append(')');
        }
        c.append('\n');
        c.append("\n/* pyxis's words for false, as in sbatch_support=... */\n");
        c.append("static const char *const jpyxis_false_words[] = { ");
        for (String word : PyxisBoolean.FALSE_WORDS) {
            c.append(SpankOptionTable.literal(word)).append(", ");
        }
        c.append("NULL };\n\n#endif\n");
        return c.toString();
    }

    private static void define(StringBuilder c, String name, String value) {
        c.append("#define ").append(name).append(' ').append(SpankOptionTable.literal(value)).append('\n');
    }
}
