package dev.jpyxis.dist.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The manual page {@code jpyxis(1)}, made of the same texts as {@code jpyxis --help} and {@code jpyxis help COMMAND},
 * so the two cannot disagree. Written at build time for the Debian package.
 */
public final class ManPage {

    private ManPage() {
    }

    /** Writes the page: {@code ManPage OUTPUT.1 VERSION} (used by the build). */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: ManPage OUTPUT.1 VERSION");
        }
        Path output = Path.of(args[0]);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, render(args[1]), StandardCharsets.UTF_8);
    }

    static String render(String version) {
        StringBuilder page = new StringBuilder();
        page.append(".\\\" Generated from the help texts of the jpyxis tool by dev.jpyxis.dist.cli.ManPage.\n");
        page.append(".TH JPYXIS 1 \"\" \"jpyxis ").append(version).append("\" \"User Commands\"\n");
        page.append(".SH NAME\njpyxis \\- check, simulate and install the jpyxis Slurm plugin (pyxis-compatible)\n");
        page.append(".SH SYNOPSIS\n");
        verbatim(page, JpyxisCommand.USAGE.lines().takeWhile(line -> !line.isBlank()).toList());
        page.append(".SH DESCRIPTION\n");
        verbatim(page, JpyxisCommand.USAGE.lines().dropWhile(line -> !line.isBlank()).skip(1).toList());
        page.append(".SH COMMANDS\n");
        for (Map.Entry<String, String> command : JpyxisCommand.commandHelp().entrySet()) {
            page.append(".SS ").append(command.getKey()).append('\n');
            verbatim(page, command.getValue().lines().toList());
        }
        page.append(".SH FILES\n");
        entry(page, "/usr/lib/jpyxis/", "the distribution: bin/jpyxis, lib/spank_pyxis.so (the SPANK plugin), the"
                + " engine's jars, lib/engine.args and the startup cache written by jpyxis install");
        entry(page, "/etc/slurm/plugstack.conf.d/jpyxis.conf", "the plugstack line that loads the plugin, read through"
                + " the include line of /etc/slurm/plugstack.conf");
        entry(page, "<runtime_path>/<uid>/engine.log", "the engine's debug log on a node, with engine_debug=1 on the"
                + " plugstack line (runtime_path is /run/pyxis by default)");
        entry(page, "/usr/share/doc/jpyxis/", "the documentation: options, configuration, installation,"
                + " troubleshooting, the simulator's scenario format");
        page.append(".SH SEE ALSO\n.BR srun (1),\n.BR sbatch (1),\n.BR salloc (1),\n.BR slurm.conf (5),\n.BR enroot (1)\n");
        return page.toString();
    }

    /** Lines as they are, in a no-fill block. */
    private static void verbatim(StringBuilder page, java.util.List<String> lines) {
        page.append(".nf\n");
        for (String line : lines) {
            page.append(escape(line)).append('\n');
        }
        page.append(".fi\n");
    }

    private static void entry(StringBuilder page, String term, String text) {
        page.append(".TP\n.I ").append(escape(term)).append('\n').append(escape(text)).append('\n');
    }

    /** Text roff shows as written: backslashes and minus signs escaped, no line read as a request. */
    static String escape(String line) {
        String escaped = line.replace("\\", "\\e").replace("-", "\\-");
        return escaped.startsWith(".") || escaped.startsWith("'") ? "\\&" + escaped : escaped;
    }
}
