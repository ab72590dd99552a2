package dev.jpyxis.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.simulator.report.JsonReport;
import dev.jpyxis.simulator.report.SimulationReport;
import dev.jpyxis.simulator.report.TextReport;
import dev.jpyxis.simulator.scenario.ScenarioException;
import dev.jpyxis.simulator.scenario.ScenarioLoader;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SimulatorTest {

    private static final String EIGHT_TASKS = """
            description: eight tasks on two nodes
            cluster:
              nodes: 2
              images:
                ubuntu:24.04: {files: {/etc/os-release: "ID=ubuntu\\n"}}
            actions:
              - srun: -N2 -n8 --container-image=ubuntu:24.04 sh -c 'echo $SLURM_PROCID'
                expect:
                  exit: %s
                  stdout: ["0", "1", "2", "3", "4", "5", "6", "7"]
                  counts: {import: 2, create: 0, start: 2, remove: 0}
                  shared_namespace: true
                  containers: {"*": []}
            """;

    private static SimulationReport run(String text, long seed) {
        return Simulator.run(ScenarioLoader.load("s.yaml", text), seed);
    }

    @Test
    void aHugeTaskCountIsRefusedAsSlurmRefusesItNotRunForever() {
        SimulationReport report = run("""
                cluster: {nodes: 1}
                actions:
                  - srun: -n2000000000 --container-image=/x.sqsh true
                    expect: {exit: 1, stderr: ["srun: error: Unable to allocate resources: Requested node configuration is not available"]}
                """, 0);
        assertEquals(Optional.empty(), report.firstFailure(), () -> TextReport.render(report));
    }

    @Test
    void theSameScenarioAndSeedGiveTheSameReport() {
        String text = EIGHT_TASKS.formatted(0);
        assertEquals(TextReport.render(run(text, 3)), TextReport.render(run(text, 3)));
        assertEquals(JsonReport.render(run(text, 3)), JsonReport.render(run(text, 3)));
    }

    @Test
    void seedsPickDifferentTaskOrders() {
        String text = EIGHT_TASKS.formatted(0);
        Set<String> timelines = LongStream.range(0, 10).mapToObj(seed -> run(text, seed).nodes().get(0).timeline()
                .toString()).collect(Collectors.toSet());
        assertTrue(timelines.size() > 1, "ten seeds gave one single order of events");
    }

    @Test
    void oneContainerPerNodeWhateverTheOrder() {
        List<SimulationReport> broken = Simulator.explore(ScenarioLoader.load("s.yaml", EIGHT_TASKS.formatted(0)), 0,
                50);
        assertTrue(broken.isEmpty(), () -> TextReport.render(broken.get(0)));
    }

    @Test
    void aFailedExpectationIsNamedWithFileAndLine() {
        SimulationReport report = run(EIGHT_TASKS.formatted(3), 0);
        assertEquals(Optional.of("s.yaml:7: exit: expected 3, got 0"), report.firstFailure());
        assertTrue(TextReport.render(report).endsWith("FAILED s.yaml:7: exit: expected 3, got 0\n"));
        assertTrue(JsonReport.render(report).contains("\"first_failure\":\"s.yaml:7: exit: expected 3, got 0\""));
    }

    @Test
    void exploringReportsEveryOrderThatBreaksAnExpectation() {
        List<SimulationReport> broken = Simulator.explore(ScenarioLoader.load("s.yaml", EIGHT_TASKS.formatted(1)), 5,
                4);
        assertEquals(List.of(5L, 6L, 7L, 8L), broken.stream().map(SimulationReport::seed).toList());
    }

    @Test
    void stateExpectationsAreCheckedAfterEveryKindOfAction() {
        SimulationReport report = run("""
                cluster:
                  nodes: 2
                  images:
                    ubuntu:24.04: {}
                actions:
                  - srun: -N2 --container-image=ubuntu:24.04 --container-name=dev true
                  - check:
                    expect: {containers: {node1: [pyxis_dev], node2: []}}
                """, 0);
        assertEquals(Optional.of("s.yaml:7: containers on node2: expected [], got [pyxis_dev]"),
                report.firstFailure());
    }

    @Test
    void whatSrunItselfRefusesIsShownAsSrunShowsIt() {
        SimulationReport report = run("""
                cluster:
                  nodes: 2
                actions:
                  - srun: ""
                    expect: {exit: 1, stderr: ["srun: fatal: No command given to execute."]}
                  - srun: -n0 true
                    expect: {exit: 1, stderr: ['srun: error: Invalid numeric value "0"']}
                  - srun: -N3 true
                    expect: {exit: 1, stderr: [Requested node configuration is not available]}
                  - srun: -w node7 true
                    expect: {exit: 1, stderr: [Invalid node name specified]}
                  - srun: -N2 -n1 sh -c 'exit abc'
                    expect: {exit: 2, stderr: ["sh: exit: Illegal number: abc"]}
                """, 0);
        assertTrue(report.passed(), () -> TextReport.render(report));
    }

    @Test
    void anActionThatCannotBePlayedIsAMalformedScenarioAtItsLine() {
        ScenarioException error = assertThrows(ScenarioException.class, () -> run("""
                cluster:
                  nodes: 1
                actions:
                  - srun: -n1 true
                    expect: {exit: 0}
                  - srun: "sh -c 'echo unterminated"
                """, 0));
        assertEquals("s.yaml:6: cannot play this action: unterminated quote in: sh -c 'echo unterminated",
                error.getMessage());
    }
}
