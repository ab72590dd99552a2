package dev.jpyxis.dist.cli;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.dist.engine.EngineWiring;
import dev.jpyxis.domain.service.SubmissionValidator;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code jpyxis} command-line tool: one subcommand per job. */
public final class JpyxisCommand {

    static final String USAGE = """
            Usage: jpyxis COMMAND [ARGUMENTS...]
                   jpyxis --version

            jpyxis is a pyxis-compatible Slurm SPANK plugin: srun --container-image=... runs tasks in a container.
            This tool gives access to its checks outside Slurm.

            Commands:
              validate   check a command line the way srun/sbatch/salloc and the plugin would before submitting
              simulate   replay srun/sbatch/salloc scenarios against simulated nodes, check expectations
              doctor     check that this node can run containerised steps, and say how to fix what is missing
              install    prepare an installed distribution for the JDK that runs the engine (startup cache)
              help       show this text, or a command's: jpyxis help COMMAND

            Run 'jpyxis help COMMAND' or 'jpyxis COMMAND --help' for a command's own options.
            """;

    private final Environment environment;
    private final PrintStream out;
    private final PrintStream err;

    public JpyxisCommand(Environment environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        Environment environment = Environment.of(System.getenv());
        System.exit(new JpyxisCommand(environment, System.out, System.err).run(List.of(args)));
    }

    /** Every subcommand's help text, in the order the general help lists them (the man page is made of them). */
    static Map<String, String> commandHelp() {
        Map<String, String> help = new LinkedHashMap<>();
        help.put("validate", ValidateCommand.USAGE);
        help.put("simulate", SimulateCommand.USAGE);
        help.put("doctor", DoctorCommand.USAGE);
        help.put("install", InstallCommand.USAGE);
        return help;
    }

    public int run(List<String> args) {
        String command = args.isEmpty() ? "" : args.get(0);
        try {
            return dispatch(command, args);
        } catch (CommandLineException malformed) {
            boolean known = commandHelp().containsKey(command);
            String message = malformed.getMessage();
            // some messages name their command already
            message = known && message.startsWith(command + ": ") ? message.substring(command.length() + 2) : message;
            err.println("jpyxis" + (known ? " " + command : "") + ": " + message);
            err.println(known ? "Run 'jpyxis help " + command + "' for usage." : "Run 'jpyxis --help' for usage.");
            return ExitCode.USAGE;
        } catch (java.io.IOException e) {
            err.println("jpyxis: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int dispatch(String command, List<String> args) throws java.io.IOException, InterruptedException {
        if (args.isEmpty()) {
            err.print(USAGE);
            return ExitCode.USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        return switch (command) {
            case "validate" -> new ValidateCommand(new SubmissionValidator(new EngineWiring())).run(rest, environment,
                    out, err);
            case "simulate" -> new SimulateCommand().run(rest, out, err);
            case "doctor" -> new DoctorCommand(environment, new EngineWiring()).run(rest, out, err);
            case "install" -> new InstallCommand().run(rest, out, err);
            case "--version", "version" -> {
                out.println(Version.line());
                yield ExitCode.OK;
            }
            case "help", "--help", "-h" -> help(rest);
            default -> throw new CommandLineException("unknown command '" + command + "'");
        };
    }

    private int help(List<String> rest) {
        if (rest.isEmpty()) {
            out.print(USAGE);
            return ExitCode.OK;
        }
        Optional<String> text = Optional.ofNullable(commandHelp().get(rest.get(0)));
        if (text.isEmpty()) {
            throw new CommandLineException("no help for '" + rest.get(0) + "': the commands are "
                    + String.join(", ", commandHelp().keySet()));
        }
        out.print(text.get());
        return ExitCode.OK;
    }
}
