package dev.jpyxis.dist.cli;

import dev.jpyxis.simulator.Simulator;
import dev.jpyxis.simulator.cases.CaseComparison;
import dev.jpyxis.simulator.cases.CaseRecord;
import dev.jpyxis.simulator.cases.CaseRecords;
import dev.jpyxis.simulator.cases.InherentDifference;
import dev.jpyxis.simulator.report.JsonReport;
import dev.jpyxis.simulator.report.SimulationReport;
import dev.jpyxis.simulator.report.SvgReport;
import dev.jpyxis.simulator.report.TextReport;
import dev.jpyxis.simulator.scenario.Scenario;
import dev.jpyxis.simulator.scenario.ScenarioException;
import dev.jpyxis.simulator.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code jpyxis simulate}: replays scenario files against simulated nodes and checks their expectations. */
final class SimulateCommand {

    static final String USAGE = """
            Usage: jpyxis simulate [--json] [--seed N] [--explore N] [--svg PICTURE.svg] FILE...
                   jpyxis simulate --compare RECORDS.jsonl FILE...

            Replays each scenario FILE (YAML: a cluster, then srun/sbatch/salloc actions, faults and expectations;
            see docs/simulator.md) through jpyxis's own decisions on simulated nodes, and prints per node a timeline
            of what the plugin did, then the final state. No Slurm, container runtime or root is needed.

            Options:
              --json        print the same report as JSON (an array, one object per run)
              --seed N      the order in which tasks arrive, report and exit (default 0); the same file and seed
                            always give the same output
              --explore N   run N orders (seeds N0..N0+N-1, N0 the --seed) and report those breaking an expectation
              --svg FILE    also draw the runs (with --explore, those breaking an expectation) as an SVG picture:
                            per node its steps, tasks, runtime commands and messages along one axis of events
              --compare RECORDS.jsonl
                            compare what the scenarios' actions marked `case:` do with what a real cluster did in
                            those cases (the e2e multi-node tests' records): container starts per node, containers
                            left, leftovers removed, pyxis's lines on srun's stderr, exit status; print each case's
                            differences (exit 1 when one is not a listed inherent difference)

            Exit status:
              0   every expectation held
              1   an expectation failed: the first one is named (FILE:LINE: what was expected, what happened);
                  with --compare, also: the simulator and the real cluster differ
              2   a scenario or records file cannot be read or is malformed (FILE:LINE: what was expected there)
              64  this command line is malformed
            """;

    int run(List<String> args, PrintStream out, PrintStream err) {
        ToolArguments read = ToolArguments.read(args, Set.of("--seed", "--explore", "--svg", "--compare"),
                Set.of("--json"),
                ToolArguments.Rest.OPERANDS);
        if (read.help()) {
            out.print(USAGE);
            return ExitCode.OK;
        }
        boolean json = read.flag("--json");
        long seed = read.number("--seed").orElse(0L);
        long explore = read.number("--explore").orElse(0L);
        List<String> files = read.rest();
        if (files.isEmpty()) {
            throw new CommandLineException("no scenario file given");
        }
        if (explore < 0 || explore > Integer.MAX_VALUE) {
            throw new CommandLineException("--explore needs a positive number");
        }
        List<Scenario> scenarios = new ArrayList<>();
        for (String file : files) {
            try {
                if (Files.size(Path.of(file)) > 4L * ScenarioLoader.MAX_CHARACTERS) {
                    // not read at all: a huge file would fill the memory before the loader could refuse it
                    throw new ScenarioException(file, 1, "the file is larger than "
                            + ScenarioLoader.MAX_CHARACTERS / 1024 + " KiB");
                }
                scenarios.add(ScenarioLoader.load(file, Files.readString(Path.of(file), StandardCharsets.UTF_8)));
            } catch (ScenarioException malformed) {
                err.println("jpyxis simulate: " + malformed.getMessage());
                return ExitCode.BAD_SCENARIO;
            } catch (IOException unreadable) {
                err.println("jpyxis simulate: " + file + ": cannot read: " + unreadable.getMessage());
                return ExitCode.BAD_SCENARIO;
            }
        }
        if (read.value("--compare").isPresent()) {
            return compare(read.value("--compare").get(), scenarios, seed, out, err);
        }
        List<SimulationReport> drawn = new ArrayList<>();
        int verdict;
        try {
            verdict = explore > 0 ? explore(scenarios, seed, (int) explore, json, out, err, drawn)
                    : replay(scenarios, seed, json, out, err, drawn);
        } catch (ScenarioException unplayable) {
            err.println("jpyxis simulate: " + unplayable.getMessage());
            return ExitCode.BAD_SCENARIO;
        }
        if (read.value("--svg").isPresent()) {
            Path picture = Path.of(read.value("--svg").get());
            try {
                Files.writeString(picture, SvgReport.render(drawn), StandardCharsets.UTF_8);
            } catch (IOException unwritable) {
                err.println("jpyxis simulate: cannot write " + picture + ": " + unwritable.getMessage());
                return ExitCode.BAD_SCENARIO;
            }
        }
        return verdict;
    }

    /** Compares the scenarios' cases with a real cluster's records; prints the comparison, then any failure. */
    private static int compare(String recordsFile, List<Scenario> scenarios, long seed, PrintStream out,
            PrintStream err) {
        List<CaseRecord> real;
        try {
            real = CaseRecords.parse(recordsFile, Files.readString(Path.of(recordsFile), StandardCharsets.UTF_8));
        } catch (CaseRecords.MalformedRecordException malformed) {
            err.println("jpyxis simulate: " + malformed.getMessage());
            return ExitCode.BAD_SCENARIO;
        } catch (IOException unreadable) {
            err.println("jpyxis simulate: " + recordsFile + ": cannot read: " + unreadable.getMessage());
            return ExitCode.BAD_SCENARIO;
        }
        List<SimulationReport> reports = new ArrayList<>();
        List<CaseRecord> simulated = new ArrayList<>();
        try {
            for (Scenario scenario : scenarios) {
                SimulationReport report = Simulator.run(scenario, seed);
                reports.add(report);
                simulated.addAll(report.cases());
            }
        } catch (ScenarioException unplayable) {
            err.println("jpyxis simulate: " + unplayable.getMessage());
            return ExitCode.BAD_SCENARIO;
        }
        CaseComparison comparison = CaseComparison.compare(real, simulated, InherentDifference.MULTINODE,
                CaseComparison.Coverage.RECORDED_CASES_ONLY);
        out.print(comparison.render());
        int verdict = verdict(reports, err);
        if (!comparison.agrees()) {
            err.println("jpyxis simulate: the simulator and the real cluster (" + recordsFile + ") differ in "
                    + comparison.differences().size() + " aspects of the multi-node cases");
            return ExitCode.REJECTED;
        }
        return verdict;
    }

    private static int replay(List<Scenario> scenarios, long seed, boolean json, PrintStream out, PrintStream err,
            List<SimulationReport> reports) {
        for (Scenario scenario : scenarios) {
            SimulationReport report = Simulator.run(scenario, seed);
            reports.add(report);
            if (!json) {
                out.print(TextReport.render(report));
            }
        }
        if (json) {
            out.println(JsonReport.render(reports));
        }
        return verdict(reports, err);
    }

    private static int explore(List<Scenario> scenarios, long seed, int runs, boolean json, PrintStream out,
            PrintStream err, List<SimulationReport> failed) {
        for (Scenario scenario : scenarios) {
            List<SimulationReport> broken = Simulator.explore(scenario, seed, runs);
            failed.addAll(broken);
            if (!json) {
                out.println(scenario.file() + ": " + runs + " task orders (seeds " + seed + ".." + (seed + runs - 1)
                        + "): " + (broken.isEmpty() ? "every expectation held" : broken.size() + " broke one"));
                broken.forEach(report -> out.println("  seed " + report.seed() + ": " + report.firstFailure()
                        .orElseThrow()));
            }
        }
        if (json) {
            out.println(JsonReport.render(failed));
        }
        return verdict(failed, err);
    }

    private static int verdict(List<SimulationReport> reports, PrintStream err) {
        for (SimulationReport report : reports) {
            if (!report.passed()) {
                err.println("jpyxis simulate: expectation failed (seed " + report.seed() + "): "
                        + report.firstFailure().orElseThrow());
                return ExitCode.REJECTED;
            }
        }
        return ExitCode.OK;
    }
}
