package dev.jpyxis.adapters.slurm.shim;

import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.domain.config.ConfigKey;
import dev.jpyxis.domain.config.ContainerScope;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.config.PyxisBoolean;
import dev.jpyxis.domain.option.ContainerOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Generates the values the native shim shares with Java ({@code shim_values.gen.h}): the plugstack keys it reads
 * itself and their words, the default {@code runtime_path}, the {@code PYXIS_CONTAINER_} prefix, the engine's entry
 * point, the protocol version, the version banner and where to look when an engine fails. The shim copies none of
 * them by hand.
 */
public final class ShimValues {

    /** The class the shim starts as the engine; a test of the distribution pins it to the real class. */
    public static final String ENGINE_MAIN = "dev.jpyxis.dist.engine.EngineMain";

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
        define(c, "JPYXIS_ENV_PREFIX", ContainerOption.ENVIRONMENT_PREFIX);
        define(c, "JPYXIS_DEFAULT_RUNTIME_PATH", PluginConfig.defaults().runtimePath());
        define(c, "JPYXIS_SCOPE_JOB", ContainerScope.JOB.keyword());
        define(c, "JPYXIS_ENGINE_LOG_BEFORE", engineLogHint().get(0));
        define(c, "JPYXIS_ENGINE_LOG_AFTER", engineLogHint().get(1));
        for (ConfigKey key : List.of(ConfigKey.JAVA, ConfigKey.JVM_OPTIONS, ConfigKey.RUNTIME_PATH,
                ConfigKey.SBATCH_SUPPORT, ConfigKey.CONTAINER_SCOPE)) {
            define(c, "JPYXIS_KEY_" + key.name(), key.key());
        }
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
