package dev.jpyxis.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jpyxis.simulator.scenario.Scenario;
import dev.jpyxis.simulator.scenario.ScenarioException;
import dev.jpyxis.simulator.scenario.ScenarioLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** A malformed scenario is reported with its file, the line and what was expected there; never a stack trace. */
class ScenarioLoaderTest {

    private static final String CLUSTER = "cluster:\n  nodes: 2\n";

    static List<Arguments> malformed() {
        return List.of(
                Arguments.of("", "bad.yaml:1: the file is empty"),
                Arguments.of("cluster: [1\n", "bad.yaml:2: not valid YAML"),
                Arguments.of("actions: []\n", "bad.yaml:1: 'cluster' is missing"),
                Arguments.of(CLUSTER, "bad.yaml:1: 'actions' is missing"),
                Arguments.of("cluster:\n  nodes: two\nactions: []\n",
                        "bad.yaml:2: expected a node count or a list of node names"),
                Arguments.of("cluster:\n  nodes: 1\n  nodez: 2\nactions: []\n",
                        "bad.yaml:3: expected one of files, images, node_files, nodes, plugstack, slow_imports, squashfs, "
                                + "squashfuse, users in the cluster, "
                                + "not 'nodez'"),
                Arguments.of("cluster:\n  nodes: 1\n  plugstack: container_scope=everywhere\nactions: []\n",
                        "bad.yaml:3: expected a valid plugstack line: pyxis: container_scope: invalid value: "
                                + "everywhere"),
                Arguments.of(CLUSTER + "actions:\n  - srun: -n1 true\n    expect: {exit: zero}\n",
                        "bad.yaml:5: expected an exit status"),
                Arguments.of(CLUSTER + "actions:\n  - srun: true\n    sbatch: x\n",
                        "bad.yaml:4: expected exactly one of srun, salloc, sbatch, crash-node, push, "
                                + "damage-image-cache, check"),
                Arguments.of(CLUSTER + "actions:\n  - srun: true\n    faults: [meteor-strike]\n",
                        "bad.yaml:5: expected a fault: import-fails, create-fails, start-fails, disk-full, "
                                + "cache-disk-full, task-dies-before-joining:TASK, slurmstepd-killed (optionally @NODE), "
                                + "node-dies@NODE; not 'meteor-strike'"),
                Arguments.of(CLUSTER + "actions:\n  - srun: true\n    faults: [node-dies]\n",
                        "bad.yaml:5: expected node-dies@NODE: the node that dies"),
                Arguments.of(CLUSTER + "actions:\n  - srun: true\n    case: Two words\n",
                        "bad.yaml:5: expected a case name of letters, digits and '-', not 'Two words'"),
                Arguments.of(CLUSTER + "actions:\n  - crash-node: node1\n    case: crash\n",
                        "bad.yaml:5: unknown key 'case' for crash-node (allowed: crash-node, expect, run-emptied)"),
                Arguments.of("cluster:\n  nodes: 2\n  node_files: {node3: {/x: y}}\nactions: []\n",
                        "bad.yaml:3: expected a node of the cluster, not 'node3'"),
                Arguments.of(CLUSTER + "actions:\n  - srun: true\n    faults: [start-fails@node9]\n",
                        "bad.yaml:5: expected a node of the cluster after @, not 'node9'"),
                Arguments.of(CLUSTER + "actions:\n  - crash-node: node3\n",
                        "bad.yaml:4: expected a node of the cluster, not 'node3'"),
                Arguments.of(CLUSTER + "actions:\n  - push: ubuntu:24.04\n",
                        "bad.yaml:4: 'image' is missing"),
                Arguments.of(CLUSTER + "actions:\n  - damage-image-cache: node3\n",
                        "bad.yaml:4: expected a node of the cluster, not 'node3'"),
                Arguments.of(CLUSTER + "actions:\n  - srun: true\n    user: mallory\n",
                        "bad.yaml:5: expected a user listed under cluster.users, not 'mallory'"),
                Arguments.of(CLUSTER + "actions:\n  - srun: true\n    expect: {stdout_has: x}\n",
                        "bad.yaml:5: expected one of cached_images, containers, counts, env, exit, files_absent, "
                                + "files_exist, "
                                + "shared_namespace, stderr, stderr_lacks, stdout, stdout_contains in expectations, "
                                + "not 'stdout_has'"),
                Arguments.of("cluster:\n  nodes: 1\n  slow_imports: {nowhere:1: 30}\nactions: []\n",
                        "bad.yaml:3: expected slow import of 'nowhere:1', which is not under images"),
                Arguments.of("cluster:\n  nodes: 1\n  images: {u: {}}\n  slow_imports: {u: soon}\nactions: []\n",
                        "bad.yaml:4: expected a number of seconds"),
                Arguments.of("cluster:\n  nodes: 1\n  squashfs: {/img.sqsh: nowhere:1}\nactions: []\n",
                        "bad.yaml:3: expected squashfs file /img.sqsh names image 'nowhere:1', which is not under "
                                + "images"),
                Arguments.of(CLUSTER + "actions: []\n", "bad.yaml:3: expected at least one action"),
                Arguments.of(CLUSTER + "actions:\n  - srun: true\n  - salloc: -N1\n    steps: [true]\n",
                        "bad.yaml:4: expected an expectation (expect:) under at least one action: a scenario that"
                                + " expects nothing cannot fail"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void aMalformedScenarioNamesFileLineAndWhatWasExpected(String text, String message) {
        ScenarioException error = assertThrows(ScenarioException.class, () -> ScenarioLoader.load("bad.yaml", text));
        assertEquals(message, error.getMessage().substring(0, Math.min(message.length(), error.getMessage().length())),
                error.getMessage());
    }

    static List<Arguments> hostile() {
        return List.of(
                Arguments.of("cluster:\n  nodes: 1\u0001\nactions: []\n", "bad.yaml:1: not valid YAML: "),
                Arguments.of("a: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n", "bad.yaml:1: not valid YAML"),
                Arguments.of("# " + "x".repeat(ScenarioLoader.MAX_CHARACTERS) + "\n",
                        "bad.yaml:1: the file is larger than 1024 KiB"),
                Arguments.of("cluster:\n  nodes: 2000000000\nactions: []\n", "bad.yaml:2: expected at most 256 nodes"),
                Arguments.of("cluster:\n  nodes: [" + "n,".repeat(300) + "n]\nactions: []\n",
                        "bad.yaml:2: expected at most 256 nodes"));
    }

    @ParameterizedTest
    @MethodSource("hostile")
    void hostileTextIsAnErrorWithFileAndLineNeverAStackTrace(String text, String message) {
        ScenarioException error = assertThrows(ScenarioException.class, () -> ScenarioLoader.load("bad.yaml", text));
        assertEquals(message, error.getMessage().substring(0, Math.min(message.length(), error.getMessage().length())),
                error.getMessage());
    }

    @Test
    void aWellFormedScenarioReadsAsWritten() {
        Scenario scenario = ScenarioLoader.load("ok.yaml", """
                description: two nodes
                cluster:
                  nodes: [a, b]
                  users: {bob: 1001}
                  images:
                    ubuntu:24.04: {env: {LANG: C.UTF-8}}
                  squashfs: {/img.sqsh: ubuntu:24.04}
                actions:
                  - srun: -N2 --container-image=/img.sqsh true
                    faults: [task-dies-before-joining:1@b, disk-full]
                    expect: {exit: 0, env: {1: {LANG: C.UTF-8}}, containers: {"*": []}}
                  - crash-node: a
                """);
        assertEquals(List.of("a", "b"), scenario.cluster().nodes());
        assertEquals(Map.of("bob", 1001L), scenario.cluster().users());
        Scenario.Srun srun = (Scenario.Srun) scenario.actions().get(0);
        assertEquals("bob", srun.user());
        assertEquals(9, srun.line());
        assertEquals(List.of(new Scenario.Fault(Scenario.Fault.Kind.TASK_DIES_BEFORE_JOINING, "b", 1),
                new Scenario.Fault(Scenario.Fault.Kind.DISK_FULL, null, -1)), srun.faults());
        assertEquals(Map.of(1, Map.of("LANG", "C.UTF-8")), srun.expect().environment());
        assertEquals(new Scenario.CrashNode(12, "a", Scenario.Expectation.none()), scenario.actions().get(1));
        assertEquals(java.util.Optional.empty(), srun.realCase());
    }

    @Test
    void anActionNamesTheRealCaseItPlaysAndFilesMayBeOnOneNodeOnly() {
        Scenario scenario = ScenarioLoader.load("ok.yaml", """
                cluster:
                  nodes: 2
                  node_files: {node1: {/var/tmp/only-here/: "", /etc/motd: hi}}
                actions:
                  - srun: -N2 true
                    faults: [node-dies@node2]
                    case: srun-N2-node-dies
                  - salloc: -N2
                    steps: [true]
                    case: salloc-N2
                    expect: {exit: 0}
                """);
        assertEquals(Map.of("node1", Map.of("/var/tmp/only-here/", "", "/etc/motd", "hi")),
                scenario.cluster().nodeFiles());
        Scenario.Srun srun = (Scenario.Srun) scenario.actions().get(0);
        assertEquals(java.util.Optional.of("srun-N2-node-dies"), srun.realCase());
        assertEquals(List.of(new Scenario.Fault(Scenario.Fault.Kind.NODE_DIES, "node2", -1)), srun.faults());
        assertEquals(java.util.Optional.of("salloc-N2"), scenario.actions().get(1).realCase());
    }
}
