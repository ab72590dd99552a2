package dev.jpyxis.simulator;

import dev.jpyxis.domain.config.RuntimeKind;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import dev.jpyxis.simulator.cases.CaseRecord;
import dev.jpyxis.simulator.node.SimulatedImage;
import dev.jpyxis.simulator.node.SimulatedNode;
import dev.jpyxis.simulator.node.SimulatedRuntime;
import dev.jpyxis.simulator.node.DiskFiles;
import dev.jpyxis.simulator.node.SquashfsFiles;
import dev.jpyxis.simulator.report.SimulationReport;
import dev.jpyxis.simulator.report.SimulationReport.ActionReport;
import dev.jpyxis.simulator.report.SimulationReport.NodeReport;
import dev.jpyxis.simulator.report.TimelineEvent;
import dev.jpyxis.simulator.scenario.Scenario;
import dev.jpyxis.simulator.scenario.Scenario.Action;
import dev.jpyxis.simulator.scenario.ScenarioException;
import dev.jpyxis.simulator.slurm.SimulatedSlurm;
import dev.jpyxis.simulator.slurm.StepResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Replays a scenario: builds its nodes, runs its actions in order through the simulated Slurm and the real domain,
 * checks the expectations after each action and reports. The seed picks the order in which concurrent things happen
 * (task arrivals, plan segments, task exits); the same scenario and seed always give the same report.
 */
public final class Simulator {

    private Simulator() {
    }

    public static SimulationReport run(Scenario scenario, long seed) {
        Scenario.Cluster cluster = scenario.cluster();
        Map<String, SimulatedNode> nodes = new LinkedHashMap<>();
        try {
            RuntimeTraits traits = cluster.plugstack().runtime() == RuntimeKind.CHARLIECLOUD
                    ? SimulatedRuntime.CHARLIECLOUD : SimulatedRuntime.ENROOT;
            AtomicLong sequence = new AtomicLong();
            // the registry of this run: a push changes it, never the scenario
            Map<String, SimulatedImage> registry = new LinkedHashMap<>(cluster.images());
            for (String name : cluster.nodes()) {
                SimulatedNode node = new SimulatedNode(name, traits, registry);
                node.sequence(sequence);
                nodes.put(name, provisioned(node, cluster));
            }
            SimulatedSlurm slurm = new SimulatedSlurm(cluster, nodes, new Random(seed));
            List<ActionReport> actions = new ArrayList<>();
            List<CaseRecord> cases = new ArrayList<>();
            for (Action action : scenario.actions()) {
                try {
                    Optional<CasePlay> play = action.realCase().map(name -> new CasePlay(name, cluster, nodes));
                    List<ActionReport> reports = perform(action, slurm, nodes, cluster, registry);
                    actions.addAll(reports);
                    play.ifPresent(started -> cases.add(started.record(reports.get(0))));
                } catch (IllegalArgumentException unplayable) {
                    // what the loader cannot see: a command line that does not split into words, say
                    throw new ScenarioException(scenario.file(), action.line(), "cannot play this action: "
                            + unplayable.getMessage());
                }
            }
            List<NodeReport> nodeReports = new ArrayList<>();
            for (SimulatedNode node : nodes.values()) {
                nodeReports.add(new NodeReport(node.name(), List.copyOf(node.timeline()), node.containers(),
                        Collections.unmodifiableMap(new TreeMap<>(node.runtime().counts))));
            }
            return new SimulationReport(scenario.file(), scenario.description(), seed, actions, nodeReports,
                    List.copyOf(cases));
        } finally {
            nodes.values().forEach(SimulatedNode::close);
        }
    }

    /** Runs the scenario under {@code runs} seeds from {@code firstSeed} on; returns the runs that failed. */
    public static List<SimulationReport> explore(Scenario scenario, long firstSeed, int runs) {
        List<SimulationReport> failed = new ArrayList<>();
        for (long seed = firstSeed; seed < firstSeed + runs; seed++) {
            SimulationReport report = run(scenario, seed);
            if (!report.passed()) {
                failed.add(report);
            }
        }
        return failed;
    }

    /** The squashfs files and plain files the scenario puts on every node. */
    private static SimulatedNode provisioned(SimulatedNode node, Scenario.Cluster cluster) {
        node.runtime().squashfuse(cluster.squashfuse());
        node.runtime().slowImports(cluster.slowImports());
        cluster.squashfs().forEach((path, image) -> SquashfsFiles.write(node.path(path), cluster.images().get(image)));
        cluster.files().forEach((path, content) -> write(node, path, content));
        cluster.nodeFiles().getOrDefault(node.name(), Map.of()).forEach((path, content) -> write(node, path, content));
        return node;
    }

    /** A plain file, or a directory when {@code path} ends with {@code /}. */
    private static void write(SimulatedNode node, String path, String content) {
        Path file = node.path(path);
        try {
            if (path.endsWith("/")) {
                DiskFiles.directory(file);
                return;
            }
            DiskFiles.directory(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<ActionReport> perform(Action action, SimulatedSlurm slurm, Map<String, SimulatedNode> nodes,
            Scenario.Cluster cluster, Map<String, SimulatedImage> registry) {
        Checked checked = new Checked(nodes, cluster);
        if (action instanceof Scenario.Srun srun) {
            return List.of(checked.report(action, "srun", srun.user(), srun.commandLine(), slurm.srun(srun)));
        }
        if (action instanceof Scenario.Sbatch sbatch) {
            return List.of(checked.report(action, "sbatch", sbatch.user(), sbatch.script(), slurm.sbatch(sbatch)));
        }
        if (action instanceof Scenario.Salloc salloc) {
            List<ActionReport> steps = new ArrayList<>();
            StepResult allocation = slurm.salloc(salloc, (step, result) -> steps.add(checked.report(step,
                    "srun in salloc", salloc.user(), step.commandLine(), result)));
            List<ActionReport> reports = new ArrayList<>();
            reports.add(checked.report(action, "salloc", salloc.user(), salloc.allocation(), allocation));
            reports.addAll(steps);
            return reports;
        }
        if (action instanceof Scenario.CrashNode crash) {
            nodes.get(crash.node()).crash(crash.runEmptied());
            return List.of(checked.report(action, "crash-node", null, crash.node(), null));
        }
        if (action instanceof Scenario.Push push) {
            registry.put(push.reference(), push.image());
            return List.of(checked.report(action, "push", null, push.reference(), null));
        }
        if (action instanceof Scenario.DamageImageCache damage) {
            cluster.plugstack().imageCache().ifPresent(nodes.get(damage.node())::damageImageCache);
            return List.of(checked.report(action, "damage-image-cache", null, damage.node(), null));
        }
        return List.of(checked.report(action, "check", null, "", null));
    }

    /**
     * An action playing a multi-node e2e case: what the nodes held and had done when it began, so that its record
     * says what the action did, as the e2e tests' record says it of the real cluster (e2e/tests/lib.sh, record_case).
     */
    private static final class CasePlay {
        private final String name;
        private final Scenario.Cluster cluster;
        private final Map<String, SimulatedNode> nodes;
        private final Map<String, List<String>> containersBefore = new TreeMap<>();
        private final Map<String, Integer> startsBefore = new TreeMap<>();
        private final Map<String, Integer> eventsBefore = new TreeMap<>();

        CasePlay(String name, Scenario.Cluster cluster, Map<String, SimulatedNode> nodes) {
            this.name = name;
            this.cluster = cluster;
            this.nodes = nodes;
            nodes.forEach((nodeName, node) -> {
                containersBefore.put(nodeName, node.containers());
                startsBefore.put(nodeName, node.runtime().counts.getOrDefault("start", 0));
                eventsBefore.put(nodeName, node.timeline().size());
            });
        }

        CaseRecord record(ActionReport action) {
            Map<String, Integer> starts = new TreeMap<>();
            Map<String, Integer> leftovers = new TreeMap<>();
            Map<String, List<String>> containersAfter = new TreeMap<>();
            TreeSet<Long> jobs = new TreeSet<>();
            nodes.forEach((nodeName, node) -> {
                starts.put(nodeName, node.runtime().counts.getOrDefault("start", 0) - startsBefore.get(nodeName));
                containersAfter.put(nodeName, node.containers());
                List<TimelineEvent> events = node.timeline().subList(eventsBefore.get(nodeName),
                        node.timeline().size());
                leftovers.put(nodeName, (int) events.stream().filter(e -> e.kind() == TimelineEvent.Kind.MESSAGE
                        && e.text().contains("pyxis: removing leftover container")).count());
                events.stream().map(TimelineEvent::step).filter(Objects::nonNull)
                        .forEach(step -> jobs.add(Long.parseLong(step.split("\\.")[0])));
            });
            return new CaseRecord(name, cluster.plugstack().runtime().keyword(), action.exit(), List.copyOf(jobs),
                    starts, leftovers, containersBefore, containersAfter, action.stderr(),
                    SimulatedSlurm.workingDirectory(action.user()));
        }
    }

    /** Reports an action with the failures of its expectations. */
    private record Checked(Map<String, SimulatedNode> nodes, Scenario.Cluster cluster) {
        ActionReport report(Action action, String kind, String user, String commandLine, StepResult result) {
            return Simulator.report(action, kind, user, commandLine, result, nodes, cluster);
        }
    }

    private static ActionReport report(Action action, String kind, String user, String commandLine, StepResult result,
            Map<String, SimulatedNode> nodes, Scenario.Cluster cluster) {
        List<String> failures = new Expectations(action.expect(), result, nodes, cluster).failures();
        if (result == null) {
            return new ActionReport(action.line(), kind, user, commandLine, null, List.of(), List.of(), failures);
        }
        return new ActionReport(action.line(), kind, user, commandLine, result.exit, List.copyOf(result.stdout),
                List.copyOf(result.stderr), failures);
    }
}
