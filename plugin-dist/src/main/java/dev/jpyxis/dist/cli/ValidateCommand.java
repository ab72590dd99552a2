package dev.jpyxis.dist.cli;

import dev.jpyxis.domain.config.InvalidConfigurationException;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.port.in.SubmissionCheck;
import dev.jpyxis.domain.port.in.SubmitCommand;
import dev.jpyxis.domain.port.in.SubmitRequest;
import dev.jpyxis.domain.port.in.ValidateSubmission;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** {@code jpyxis validate}: checks container options as srun, sbatch or salloc would, before submission. */
final class ValidateCommand {

    static final String USAGE = """
            Usage: jpyxis validate [--config 'KEY=VALUE ...'] [--command srun|sbatch|salloc] -- SRUN-ARGUMENTS...

            Checks the --container-* options of an srun, sbatch or salloc command line exactly as the plugin does
            before a job is submitted, and prints them normalized, one per line.

            SRUN-ARGUMENTS are typed as for srun: --opt=value or --opt value, in any order, mixed with srun's own
            options (-n 4, --mpi=pmix, ...), which are ignored; reading stops at the user's command. PYXIS_CONTAINER_*
            variables of this environment fill the options the command line leaves unset.

            Options:
              --config 'KEY=VALUE ...'   the plugin's plugstack.conf arguments (default: none, i.e. pyxis defaults)
              --command NAME             the client the options are given to: srun (default), sbatch or salloc

            Exit status:
              0   the options are valid (warnings, if any, are printed on stderr)
              1   an option is rejected: pyxis's error lines are printed on stderr
              2   the --config text is invalid
              64  this command line is malformed

            Example:
              jpyxis validate -- -n 4 --mpi=pmix --container-image=ubuntu:24.04 --container-mounts /data:/data python x.py
            """;

    private final ValidateSubmission validateSubmission;

    ValidateCommand(ValidateSubmission validateSubmission) {
        this.validateSubmission = validateSubmission;
    }

    int run(List<String> args, Environment environment, PrintStream out, PrintStream err) {
        String configText = "";
        SubmitCommand command = SubmitCommand.SRUN;
        int i = 0;
        for (; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--")) {
                i++;
                break;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                out.print(USAGE);
                return ExitCode.OK;
            } else if (arg.equals("--config")) {
                configText = valueOf(args, ++i, arg);
            } else if (arg.startsWith("--config=")) {
                configText = arg.substring("--config=".length());
            } else if (arg.equals("--command")) {
                command = submitCommand(valueOf(args, ++i, arg));
            } else if (arg.startsWith("--command=")) {
                command = submitCommand(arg.substring("--command=".length()));
            } else {
                break;
            }
        }
        List<String> pluginArguments = configText.isBlank() ? List.of()
                : Arrays.asList(configText.strip().split("\\s+"));
        try {
            PluginConfig.parse(pluginArguments);
        } catch (InvalidConfigurationException invalid) {
            invalid.lines().forEach(err::println);
            err.println("pyxis: failed to parse configuration");
            return ExitCode.BAD_CONFIG;
        }
        List<OptionUse> uses = SrunCommandLine.containerOptions(args.subList(i, args.size()));
        SubmissionCheck check = validateSubmission.validate(new SubmitRequest(pluginArguments, command, uses,
                environment));
        check.diagnostics().stream().map(Diagnostic::text).forEach(err::println);
        if (check instanceof SubmissionCheck.Accepted accepted) {
            accepted.normalizedOptions().forEach(out::println);
            return ExitCode.OK;
        }
        return ExitCode.REJECTED;
    }

    private static String valueOf(List<String> args, int index, String option) {
        if (index >= args.size()) {
            throw new CommandLineException(option + " needs a value");
        }
        return args.get(index);
    }

    private static SubmitCommand submitCommand(String name) {
        return Arrays.stream(SubmitCommand.values()).filter(c -> c.command().equals(name)).findFirst()
                .orElseThrow(() -> new CommandLineException("--command must be srun, sbatch or salloc, not '"
                        + name + "'"));
    }
}
