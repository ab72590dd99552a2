package dev.jpyxis.simulator;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.simulator.node.SimulatedNode;
import dev.jpyxis.simulator.scenario.Scenario;
import dev.jpyxis.simulator.scenario.Scenario.Expectation;
import dev.jpyxis.simulator.slurm.StepResult;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Checks an action's expectations against what it showed ({@code result}, absent for crash-node and check) and the
 * state of the nodes. Node-keyed expectations accept {@code "*"} for every node.
 */
final class Expectations {

    /** The value an {@code env} expectation gives for a variable that must not be set. */
    static final String UNSET = "<unset>";

    private final Expectation expect;
    private final StepResult result;
    private final Map<String, SimulatedNode> nodes;
    private final Scenario.Cluster cluster;
    private final List<String> failures = new ArrayList<>();

    Expectations(Expectation expect, StepResult result, Map<String, SimulatedNode> nodes, Scenario.Cluster cluster) {
        this.expect = expect;
        this.result = result;
        this.nodes = nodes;
        this.cluster = cluster;
    }

    List<String> failures() {
        if (result != null) {
            checkOutput();
        } else if (expect.exit() != null || !expect.stderr().isEmpty() || expect.stdout() != null
                || !expect.counts().isEmpty() || expect.sharedNamespace() != null || !expect.environment().isEmpty()) {
            failures.add("only containers, files_exist, files_absent and cached_images can be expected after "
                    + "crash-node, push, damage-image-cache or check");
        }
        eachNode(expect.containers(), (node, names) -> {
            List<String> expected = names.stream().sorted().toList();
            if (!node.containers().equals(expected)) {
                failures.add("containers on " + node.name() + ": expected " + expected + ", got "
                        + node.containers());
            }
        });
        eachNode(expect.filesExist(), (node, paths) -> paths.stream().filter(path -> !Files.exists(node.path(path)))
                .forEach(path -> failures.add("file " + path + " on " + node.name() + ": expected to exist, absent")));
        eachNode(expect.filesAbsent(), (node, paths) -> paths.stream().filter(path -> Files.exists(node.path(path)))
                .forEach(path -> failures.add("file " + path + " on " + node.name() + ": expected absent, exists")));
        eachNode(expect.cachedImages(), (node, images) -> {
            List<String> expected = images.stream().sorted().toList();
            List<String> actual = cachedImages(node);
            if (!actual.equals(expected)) {
                failures.add("cached_images on " + node.name() + ": expected " + expected + ", got " + actual);
            }
        });
        return failures;
    }

    /** {@code USER REFERENCE} for each image in the node's image caches, sorted. */
    private List<String> cachedImages(SimulatedNode node) {
        Map<String, String> names = new java.util.HashMap<>();
        cluster.users().forEach((name, uid) -> names.put(Long.toString(uid), name));
        return cluster.plugstack().imageCache().map(root -> node.cachedImages(root).stream().map(entry -> {
            String uid = entry.substring(0, entry.indexOf(' '));
            return names.getOrDefault(uid, uid) + entry.substring(entry.indexOf(' '));
        }).sorted().toList()).orElse(List.of());
    }

    private void checkOutput() {
        if (expect.exit() != null && expect.exit() != result.exit) {
            failures.add("exit: expected " + expect.exit() + ", got " + result.exit);
        }
        for (String text : expect.stderr()) {
            if (result.stderr.stream().noneMatch(line -> line.contains(text))) {
                failures.add("stderr: expected a line containing '" + text + "', got " + result.stderr);
            }
        }
        for (String text : expect.stderrLacks()) {
            result.stderr.stream().filter(line -> line.contains(text)).findFirst().ifPresent(line -> failures.add(
                    "stderr: expected no line containing '" + text + "', got '" + line + "'"));
        }
        if (expect.stdout() != null) {
            // tasks print in an order that depends on the seed, as srun's output does: compared as a multiset
            List<String> expected = expect.stdout().stream().sorted().toList();
            List<String> actual = result.stdout.stream().sorted().toList();
            if (!expected.equals(actual)) {
                failures.add("stdout: expected the lines " + expected + " (any order), got " + actual);
            }
        }
        for (String text : expect.stdoutContains()) {
            if (result.stdout.stream().noneMatch(line -> line.contains(text))) {
                failures.add("stdout: expected a line containing '" + text + "', got " + result.stdout);
            }
        }
        expect.counts().forEach((command, count) -> {
            int actual = result.counts.getOrDefault(command, 0);
            if (actual != count) {
                failures.add("runtime " + command + " commands: expected " + count + ", got " + actual);
            }
        });
        if (expect.sharedNamespace() != null) {
            checkSharing(expect.sharedNamespace());
        }
        expect.environment().forEach(this::checkEnvironment);
    }

    /** Shared: on every node, all tasks ran in one mount namespace, a container's, not the host's. */
    private void checkSharing(boolean expected) {
        boolean shared = !result.mountNamespaces.isEmpty();
        for (var node : result.mountNamespaces.entrySet()) {
            boolean one = new HashSet<>(node.getValue()).size() == 1;
            shared &= one && !node.getValue().get(0).endsWith("[host]");
        }
        if (shared != expected) {
            failures.add("shared_namespace: expected " + expected + ", got " + shared + " (mount namespaces per node: "
                    + result.mountNamespaces + ")");
        }
    }

    private void checkEnvironment(int task, Map<String, String> variables) {
        Environment environment = result.environments.get(task);
        if (environment == null) {
            failures.add("env of task " + task + ": the task did not run its command");
            return;
        }
        variables.forEach((name, value) -> {
            Optional<String> actual = environment.get(name);
            String shown = actual.orElse(UNSET);
            if (!shown.equals(value)) {
                failures.add("env of task " + task + ": expected " + name + "=" + value + ", got " + name + "="
                        + shown);
            }
        });
    }

    private void eachNode(Map<String, List<String>> byNode, BiConsumer<SimulatedNode, List<String>> check) {
        byNode.forEach((name, values) -> {
            if (name.equals("*")) {
                nodes.values().forEach(node -> check.accept(node, values));
            } else if (nodes.containsKey(name)) {
                check.accept(nodes.get(name), values);
            } else {
                failures.add("no node named " + name + " in the cluster");
            }
        });
    }
}
