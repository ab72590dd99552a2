package dev.jpyxis.dist.cli;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.dist.engine.EngineWiring;
import dev.jpyxis.domain.service.SubmissionValidator;
import java.io.PrintStream;
import java.util.List;

/** The {@code jpyxis} command-line tool: one subcommand per job. */
public final class JpyxisCommand {

    static final String USAGE = """
            Usage: jpyxis COMMAND [ARGUMENTS...]

            jpyxis is a pyxis-compatible Slurm SPANK plugin: srun --container-image=... runs tasks in a container.
            This tool gives access to its checks outside Slurm.

            Commands:
              validate   check container options the way srun/sbatch/salloc would before submitting
              simulate   replay srun/sbatch/salloc scenarios against simulated nodes, check expectations
              install    prepare an installed distribution for the JDK that runs the engine (startup cache)
              help       show this text

            Run 'jpyxis COMMAND --help' for a command's own options.
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

    public int run(List<String> args) {
        try {
            return dispatch(args);
        } catch (java.io.IOException e) {
            err.println("jpyxis: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int dispatch(List<String> args) throws java.io.IOException, InterruptedException {
        if (args.isEmpty()) {
            err.print(USAGE);
            return ExitCode.USAGE;
        }
        String command = args.get(0);
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (command) {
                case "validate" -> new ValidateCommand(new SubmissionValidator(new EngineWiring())).run(rest, environment, out, err);
                case "simulate" -> new SimulateCommand().run(rest, out, err);
                case "install" -> new InstallCommand().run(rest, out, err);
                case "help", "--help", "-h" -> {
                    out.print(USAGE);
                    yield ExitCode.OK;
                }
                default -> throw new CommandLineException("unknown command '" + command + "'");
            };
        } catch (CommandLineException malformed) {
            err.println("jpyxis: " + malformed.getMessage());
            err.println("Run 'jpyxis --help' for usage.");
            return ExitCode.USAGE;
        }
    }
}
