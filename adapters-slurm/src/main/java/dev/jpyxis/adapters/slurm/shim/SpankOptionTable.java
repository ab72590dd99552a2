package dev.jpyxis.adapters.slurm.shim;

import dev.jpyxis.domain.option.ContainerOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates the native shim's SPANK option table from {@link ContainerOption}, so that {@code srun --help} and the
 * Java parser can never disagree. Each option gets its own one-line callback that forwards the option's name and
 * argument to the shim's recorder; {@code has_arg} and {@code val} are pyxis's.
 */
public final class SpankOptionTable {

    private SpankOptionTable() {
    }

    /** Writes the header to the path given as the only argument (used by the build). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: SpankOptionTable OUTPUT.h");
        }
        Path output = Path.of(args[0]);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, header(), StandardCharsets.UTF_8);
    }

    /** The C header text: callbacks, the {@code struct spank_option} array and its size. */
    public static String header() {
        StringBuilder c = new StringBuilder();
        c.append("/* Generated at build time from dev.jpyxis.domain.option.ContainerOption. Do not edit. */\n");
        c.append("#ifndef JPYXIS_SPANK_OPTIONS_H\n#define JPYXIS_SPANK_OPTIONS_H\n\n");
        c.append("#include <slurm/spank.h>\n\n");
        c.append("/* Implemented by the shim: records one occurrence of an option, in order. */\n");
        c.append("static int jpyxis_record_option(const char *name, const char *optarg, int remote);\n\n");
        for (ContainerOption option : ContainerOption.values()) {
            c.append("static int ").append(callbackName(option))
                    .append("(int val, const char *optarg, int remote)\n{\n\t(void)val;\n\treturn jpyxis_record_option(")
                    .append(literal(option.optionName())).append(", optarg, remote);\n}\n\n");
        }
        c.append("#define JPYXIS_OPTION_COUNT ").append(ContainerOption.values().length).append("\n\n");
        c.append("static struct spank_option jpyxis_spank_options[JPYXIS_OPTION_COUNT + 1] = {\n");
        for (ContainerOption option : ContainerOption.values()) {
            c.append("\t{ ").append(literal(option.optionName())).append(", ")
                    .append(option.argInfo().map(SpankOptionTable::literal).orElse("NULL")).append(",\n\t  ")
                    .append(literal(option.usage())).append(",\n\t  ")
                    .append(option.argumentKind().spankHasArg()).append(", ").append(option.spankVal()).append(", ")
                    .append(callbackName(option)).append(" },\n");
        }
        c.append("\tSPANK_OPTIONS_TABLE_END\n};\n\n#endif\n");
        return c.toString();
    }

    private static String callbackName(ContainerOption option) {
        return "jpyxis_option_" + option.optionName().replace('-', '_');
    }

    /** A C string literal; the texts are ASCII, only quotes and backslashes need escaping. */
    static String literal(String text) {
        StringBuilder literal = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                literal.append('\\');
            }
            if (ch < 0x20 || ch > 0x7e) {
                throw new IllegalArgumentException("non-printable or non-ASCII character in option text: " + text);
            }
            literal.append(ch);
        }
        return literal.append('"').toString();
    }
}
