package dev.jpyxis.dist.docs;

import dev.jpyxis.domain.config.ConfigKey;
import dev.jpyxis.domain.option.ContainerOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Renders the option and configuration reference pages of {@code docs/} from the domain's tables, so the
 * documentation cannot drift from the code. A test compares the committed pages with this output; run
 * {@code main} with the docs folder to regenerate them.
 */
public final class ReferenceDocs {

    private ReferenceDocs() {
    }

    public static void main(String[] args) throws IOException {
        Path docs = Path.of(args.length > 0 ? args[0] : "docs");
        Files.writeString(docs.resolve("options.md"), optionsPage(), StandardCharsets.UTF_8);
        Files.writeString(docs.resolve("configuration.md"), configurationPage(), StandardCharsets.UTF_8);
    }

    public static String optionsPage() {
        StringBuilder md = new StringBuilder();
        md.append("# Container options\n\n");
        md.append("<!-- Generated from dev.jpyxis.domain.option.ContainerOption by ReferenceDocs; do not edit. -->\n\n");
        md.append("The options jpyxis adds to `srun`, `sbatch` and `salloc`, with the same names, grammar, defaults"
                + " and error texts as NVIDIA pyxis 0.24. `srun --help` shows the same texts.\n\n");
        md.append("| option | argument | description |\n|---|---|---|\n");
        for (ContainerOption option : ContainerOption.values()) {
            md.append("| `").append(option.flag()).append("` | ")
                    .append(option.argInfo().map(a -> "`" + a.replace("|", "\\|") + "`").orElse("none"))
                    .append(" | ").append(option.usage().substring(ContainerOption.HELP_PREFIX.length())
                            .replace("|", "\\|"))
                    .append(" |\n");
        }
        md.append("""

                ## Grammar in brief

                - `--container-mounts=SRC:DST[:FLAGS][,...]`: `SRC` is an absolute or relative path, `tmpfs` or \
                `umount`; `DST` an absolute or relative path; `FLAGS` are mount options joined with `+`. Defaults \
                always come first: `x-create=auto,rbind` for paths, `x-create=dir` for tmpfs, `x-detach` for umount. \
                Identical entries are dropped; repeated options accumulate.
                - `--container-name=NAME[:FLAG]`: `FLAG` is `auto` (default), `create`, `exec` or `no_exec`.
                - `--container-env=NAME[,...]` and `--container-unshare=NS[,...]` accumulate across repeats.
                - Single-valued options may be repeated with the same value; a different value fails with \
                `pyxis: --container-X specified multiple times`. Giving both members of a pair fails with \
                `pyxis: both --container-X and --no-container-X were specified`.
                - Without `--container-image` or `--container-name` the plugin stays inactive and prints \
                `pyxis: ignoring <option> because neither --container-image nor --container-name is set` for each \
                other option given (not for `--container-env` and `--container-unshare`).

                ## Defaults from the environment

                Each option left unset on the command line takes its value from a variable, if set:
                `PYXIS_CONTAINER_IMAGE`, `_MOUNTS`, `_WORKDIR`, `_NAME`, `_SAVE`, `_MOUNT_HOME`, `_REMAP_ROOT`, \
                `_ENTRYPOINT`, `_ENTRYPOINT_LOG`, `_WRITABLE`, `_READONLY` (applied only if `_WRITABLE` left it \
                unset), `_ENV`, `_UNSHARE`. Booleans take `1 true yes y` / `0 false no n`. A value the option would \
                refuse is reported and ignored; the job still runs.

                Check a command line before submitting it with `jpyxis validate -- <srun arguments>` (see \
                [cli.md](cli.md)).
                """);
        return md.toString();
    }

    public static String configurationPage() {
        StringBuilder md = new StringBuilder();
        md.append("# Plugin configuration (plugstack.conf)\n\n");
        md.append("<!-- Generated from dev.jpyxis.domain.config.ConfigKey by ReferenceDocs; do not edit. -->\n\n");
        md.append("Arguments after the plugin path on the plugstack line, each `key=value`, separated by"
                + " whitespace:\n\n```\nrequired /usr/lib/jpyxis/lib/spank_pyxis.so container_scope=job\n```\n\n");
        md.append("Keys match exactly and case-sensitively; a repeated key takes its last value; anything else"
                + " fails with `pyxis: unknown configuration option: <arg>`. Booleans take `1 true yes y` /"
                + " `0 false no n`; another value fails with `pyxis: <key>: invalid value: <value>`. Paths of"
                + " 4096 bytes or more fail with `pyxis: <key>: path too long: <value>`.\n\n");
        md.append("| key | default | from | meaning |\n|---|---|---|---|\n");
        for (ConfigKey key : ConfigKey.values()) {
            md.append("| `").append(key.key()).append("` | ")
                    .append(key.defaultValue().isEmpty() ? "(empty)" : "`" + key.defaultValue() + "`")
                    .append(" | ").append(key.fromPyxis() ? "pyxis 0.24" : "jpyxis")
                    .append(" | ").append(key.description().replace("|", "\\|")).append(" |\n");
        }
        md.append("""

                The keys `remap_root` (removed in pyxis 0.12) and `epilog` (renamed `container_scope`) are rejected \
                as unknown, as in pyxis.
                """);
        return md.toString();
    }
}
