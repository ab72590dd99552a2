package dev.jpyxis.dist.cli;

import dev.jpyxis.domain.client.BatchScript;
import dev.jpyxis.domain.client.ClientCommandLine;
import dev.jpyxis.domain.client.RefusedCommandLineException;
import dev.jpyxis.domain.config.InvalidConfigurationException;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.port.in.SubmissionCheck;
import dev.jpyxis.domain.port.in.SubmitCommand;
import dev.jpyxis.domain.port.in.SubmitRequest;
import dev.jpyxis.domain.port.in.ValidateSubmission;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code jpyxis validate}: checks a command line as srun, sbatch or salloc and the plugin would, before submission. */
final class ValidateCommand {

    static final String USAGE = """
            Usage: jpyxis validate [--config 'KEY=VALUE ...'] [--command srun|sbatch|salloc] [--json] -- ARGUMENTS...

            Checks an srun, sbatch or salloc command line as the client and the plugin check it before a job is
            submitted, and prints the container options normalized, one per line.

            ARGUMENTS are typed as for the client: --opt=value or --opt value, unique abbreviations, any order, mixed
            with the client's own options (-n 4, --mpi=pmix, ...), up to the command. An option the client does not
            know, an ambiguous abbreviation or a missing argument is refused with the client's own text. With
            --command sbatch, the #SBATCH lines of the script named after the options are read first, as sbatch reads
            them. PYXIS_CONTAINER_* variables of this environment fill the options the command line leaves unset.

            Options:
              --config 'KEY=VALUE ...'   the plugin's plugstack.conf arguments (default: none, i.e. pyxis defaults)
              --command NAME             the client the arguments are given to: srun (default), sbatch or salloc
              --json                     print the verdict as one JSON object on stdout

            Exit status:
              0   the options are valid (warnings, if any, are printed on stderr)
              1   the client or the plugin refuses the command line: their error lines are printed on stderr
              2   the --config text is invalid
              64  this command line is malformed

            Example:
              jpyxis validate -- -n 4 --mpi=pmix --container-image=ubuntu:24.04 --container-mounts /data:/data python x.py
            """;

    private final ValidateSubmission validateSubmission;

    ValidateCommand(ValidateSubmission validateSubmission) {
        this.validateSubmission = validateSubmission;
    }

    /** The verdict, printed as text or JSON. */
    private record Verdict(SubmitCommand command, int exit, List<String> options, List<Diagnostic> messages) {
    }

    int run(List<String> args, Environment environment, PrintStream out, PrintStream err) {
        ToolArguments read = ToolArguments.read(args, Set.of("--config", "--command"), Set.of("--json"),
                ToolArguments.Rest.PASSED_ON);
        if (read.help()) {
            out.print(USAGE);
            return ExitCode.OK;
        }
        SubmitCommand command = submitCommand(read.value("--command").orElse("srun"));
        String configText = read.value("--config").orElse("");
        Verdict verdict = verdict(command, configText, read.rest(), environment);
        if (read.flag("--json")) {
            out.println(json(verdict));
        } else {
            verdict.messages().stream().map(Diagnostic::text).forEach(err::println);
            verdict.options().forEach(out::println);
        }
        return verdict.exit();
    }

    private Verdict verdict(SubmitCommand command, String configText, List<String> arguments, Environment environment) {
        List<String> pluginArguments = configText.isBlank() ? List.of()
                : Arrays.asList(configText.strip().split("\\s+"));
        PluginConfig config;
        try {
            config = PluginConfig.parse(pluginArguments);
        } catch (InvalidConfigurationException invalid) {
            List<Diagnostic> lines = new ArrayList<>(invalid.lines().stream().map(Diagnostic::error).toList());
            lines.add(Diagnostic.error("pyxis: failed to parse configuration"));
            return new Verdict(command, ExitCode.BAD_CONFIG, List.of(), lines);
        }
        // pyxis does not register its options in sbatch and salloc without sbatch_support: those refuse them
        boolean registered = !command.isAllocator() || config.sbatchSupport();
        List<OptionUse> uses = new ArrayList<>();
        try {
            ClientCommandLine line = ClientCommandLine.read(command, arguments, registered);
            if (command == SubmitCommand.SBATCH && !line.operands().isEmpty()) {
                uses.addAll(BatchScript.options(line.operands().get(0), script(line.operands().get(0)), registered)
                        .containerOptions());
            }
            uses.addAll(line.containerOptions());
        } catch (RefusedCommandLineException refused) {
            return new Verdict(command, ExitCode.REJECTED, List.of(),
                    refused.lines().stream().map(Diagnostic::error).toList());
        }
        SubmissionCheck check = validateSubmission.validate(new SubmitRequest(pluginArguments, command, uses,
                environment));
        if (check instanceof SubmissionCheck.Accepted accepted) {
            return new Verdict(command, ExitCode.OK, accepted.normalizedOptions(), check.diagnostics());
        }
        return new Verdict(command, ExitCode.REJECTED, List.of(), check.diagnostics());
    }

    /** The batch script's text, or sbatch's complaint when it cannot read it. */
    private static String script(String name) {
        try {
            return Files.readString(Path.of(name), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException unreadable) {
            throw new RefusedCommandLineException(List.of("sbatch: error: Unable to open file " + name));
        }
    }

    private static String json(Verdict verdict) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("command", verdict.command().command());
        object.put("valid", verdict.exit() == ExitCode.OK);
        object.put("exit", verdict.exit());
        object.put("options", verdict.options());
        object.put("messages", verdict.messages().stream().map(message -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("level", message.severity().name().toLowerCase(java.util.Locale.ROOT));
            entry.put("text", message.text());
            return entry;
        }).toList());
        return Json.write(object);
    }

    private static SubmitCommand submitCommand(String name) {
        return Arrays.stream(SubmitCommand.values()).filter(c -> c.command().equals(name)).findFirst()
                .orElseThrow(() -> new CommandLineException("--command must be srun, sbatch or salloc, not '"
                        + name + "'"));
    }
}
