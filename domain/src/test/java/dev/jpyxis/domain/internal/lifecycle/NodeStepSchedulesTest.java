package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.in.StartOutcome;

import static dev.jpyxis.domain.internal.lifecycle.Steps.options;
import static dev.jpyxis.domain.internal.lifecycle.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.internal.step.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The node-step state machine under every order of events for 1 to 4 local tasks, without and with injected
 * failures, checking the invariants pyxis guarantees: one setup per node, everyone joins one container, exactly one
 * release after the last join, every task ends, failures reach every task with the right text.
 */
@DisplayName("every arrival order of 1 to 4 local tasks")
class NodeStepSchedulesTest {

    private static final String[] SQUASHFS = {"--container-image=/images/u.sqsh"};
    private static final String[] REGISTRY = {"--container-image=ubuntu:24.04"};

    record World(FakeNode node, TaskShimDouble shim) {
    }

    private static Supplier<TaskShimDouble> worlds(int tasks, PluginConfig config, Consumer<FakeNode> setUp,
            StartOutcome startOutcome, List<FakeNode> nodes, String... args) {
        return () -> {
            FakeNode node = new FakeNode();
            setUp.accept(node);
            StepContext step = step(12, 3, tasks);
            ContainerOptions options = options(args);
            NodeStep nodeStep = Steps.nodeStep(node, config, step, options);
            TaskShimDouble shim = new TaskShimDouble(nodeStep, tasks);
            if (startOutcome != null) {
                shim.startOutcome = startOutcome;
            }
            nodes.add(node);
            return shim;
        };
    }

    private static FakeNode lastNode(List<FakeNode> nodes) {
        return nodes.get(nodes.size() - 1);
    }

    @ParameterizedTest(name = "{0} task(s): one start, everyone joins, one release by the last joiner")
    @ValueSource(ints = {1, 2, 3, 4})
    void success(int tasks) {
        List<FakeNode> nodes = new ArrayList<>();
        int schedules = Schedules.forEach(worlds(tasks, PluginConfig.defaults(), n -> { }, null, nodes, SQUASHFS),
                false, shim -> {
                    FakeNode node = lastNode(nodes);
                    for (int task = 0; task < tasks; task++) {
                        assertEquals(TaskShimDouble.End.EXEC, shim.ends.get(task), "task " + task);
                        List<TaskOperation> ops = shim.executed.get(task);
                        int join = indexOf(ops, TaskOperation.JoinNamespaces.class);
                        int chdir = indexOf(ops, TaskOperation.ChangeDirectory.class);
                        int seccomp = indexOf(ops, TaskOperation.InstallSeccompFilter.class);
                        assertTrue(join >= 0 && join < chdir && chdir < seccomp, ops.toString());
                    }
                    assertEquals(1, shim.count(TaskOperation.StartContainer.class));
                    assertEquals(1, shim.operationsOf(shim.arrivals.get(0), TaskOperation.StartContainer.class).size());
                    assertEquals(1, shim.count(TaskOperation.ResumeContainer.class));
                    // the release goes to the last task to report its joins, or, planned with its joins, to a task
                    // that every other task had reported before: it has nothing to report
                    int releaser = -1;
                    for (int task = 0; task < tasks; task++) {
                        if (!shim.operationsOf(task, TaskOperation.ResumeContainer.class).isEmpty()) {
                            releaser = task;
                        }
                    }
                    List<Integer> reporters = joinReporters(shim);
                    if (reporters.contains(releaser)) {
                        assertEquals(releaser, reporters.get(reporters.size() - 1));
                    } else {
                        assertEquals(tasks - 1, reporters.size(), "every other task reported first");
                    }
                    assertEquals(1, node.count("create"));
                    assertEquals(0, node.count("resume"));
                    assertEquals(NodeStep.Phase.RUNNING, shim.step.phase());
                });
        assertTrue(schedules >= factorial(tasks), "explored " + schedules);
    }

    @ParameterizedTest(name = "{0} task(s): the import fails; every task fails, the setup task with the reason")
    @ValueSource(ints = {1, 2, 3, 4})
    void importFails(int tasks) {
        List<FakeNode> nodes = new ArrayList<>();
        Schedules.forEach(worlds(tasks, PluginConfig.defaults(), n -> n.failing.add("import"), null, nodes, REGISTRY),
                false, shim -> {
                    assertEveryTaskFailed(shim, tasks, "pyxis: failed to import docker image: ubuntu:24.04");
                    assertEquals(1, lastNode(nodes).count("import"));
                    assertEquals(0, lastNode(nodes).count("create"));
                    assertEquals(0, shim.count(TaskOperation.StartContainer.class));
                });
    }

    @ParameterizedTest(name = "{0} task(s): the create fails")
    @ValueSource(ints = {1, 2, 3, 4})
    void createFails(int tasks) {
        List<FakeNode> nodes = new ArrayList<>();
        Schedules.forEach(worlds(tasks, PluginConfig.defaults(), n -> n.failing.add("create"), null, nodes, SQUASHFS),
                false, shim -> {
                    assertEveryTaskFailed(shim, tasks,
                            "pyxis: failed to create container filesystem for image: /images/u.sqsh");
                    assertEquals(1, lastNode(nodes).count("create"));
                });
    }

    @ParameterizedTest(name = "{0} task(s): a mount source is missing on the node")
    @ValueSource(ints = {1, 2, 3, 4})
    void mountSourceMissing(int tasks) {
        List<FakeNode> nodes = new ArrayList<>();
        Schedules.forEach(worlds(tasks, PluginConfig.defaults(), n -> n.missingPaths.add("/gone"), null, nodes,
                "--container-image=/images/u.sqsh", "--container-mounts=/gone:/data"), false, shim -> {
                    assertEveryTaskFailed(shim, tasks, "pyxis: --container-mounts: source path does not exist: /gone");
                    assertTrue(shim.failureOf(shim.arrivals.get(0)).contains(NodeStep.NOT_STARTED));
                    assertEquals(0, shim.count(TaskOperation.StartContainer.class));
                });
    }

    @ParameterizedTest(name = "{0} task(s): the container's first process exits with an error")
    @ValueSource(ints = {1, 2, 3, 4})
    void startFails(int tasks) {
        List<FakeNode> nodes = new ArrayList<>();
        Schedules.forEach(worlds(tasks, PluginConfig.defaults(), n -> { },
                new StartOutcome.Exited(1, List.of("enroot-switchroot: failed")), nodes, SQUASHFS), false, shim -> {
                    assertEveryTaskFailed(shim, tasks, "pyxis: container start failed with error code: 1");
                    List<String> setupLines = shim.failureOf(shim.arrivals.get(0));
                    assertTrue(setupLines.contains("pyxis:     enroot-switchroot: failed"), setupLines.toString());
                    assertEquals(NodeStep.NOT_STARTED, setupLines.get(setupLines.size() - 1));
                    assertTrue(lastNode(nodes).journal.contains("finish"));
                });
    }

    @ParameterizedTest(name = "{0} task(s): the container cannot be inspected after it started")
    @ValueSource(ints = {1, 2, 3, 4})
    void inspectionFails(int tasks) {
        List<FakeNode> nodes = new ArrayList<>();
        Schedules.forEach(worlds(tasks, PluginConfig.defaults(), n -> n.failing.add("environ"), null, nodes, SQUASHFS),
                false, shim -> {
                    for (int task = 0; task < tasks; task++) {
                        assertEquals(List.of("pyxis: couldn't read /proc/4242/environ",
                                "pyxis: couldn't read container environment"), shim.failureOf(task));
                    }
                    assertTrue(lastNode(nodes).journal.contains("resume 4242"), "the stopped process is let go");
                });
    }

    @ParameterizedTest(name = "{0} task(s), one of them lost at any point: nobody hangs, the container is released")
    @ValueSource(ints = {1, 2, 3})
    void oneTaskLost(int tasks) {
        List<FakeNode> nodes = new ArrayList<>();
        int schedules = Schedules.forEach(worlds(tasks, PluginConfig.defaults(), n -> { }, null, nodes, REGISTRY),
                true, shim -> {
                    FakeNode node = lastNode(nodes);
                    for (int task = 0; task < tasks; task++) {
                        assertTrue(shim.ends.containsKey(task), "task " + task + " never ended");
                    }
                    boolean started = shim.step.phase() == NodeStep.Phase.RUNNING;
                    if (started) {
                        long releases = shim.count(TaskOperation.ResumeContainer.class) + node.count("resume");
                        assertEquals(1, releases, "exactly one release");
                        shim.ends.forEach((task, end) -> assertTrue(end != TaskShimDouble.End.FAILED,
                                "task " + task + " failed although the container runs"));
                    } else {
                        List<Integer> failed = shim.ends.entrySet().stream()
                                .filter(e -> e.getValue() == TaskShimDouble.End.FAILED).map(e -> e.getKey()).toList();
                        if (!failed.isEmpty()) {
                            assertEquals(List.of(NodeStep.SETUP_TASK_DIED), shim.failureOf(failed.get(0)),
                                    "the first to find the setup task gone says so");
                            failed.stream().skip(1).forEach(task ->
                                    assertEquals(List.of(NodeStep.NOT_STARTED), shim.failureOf(task)));
                        }
                    }
                });
        assertTrue(schedules > factorial(tasks));
    }

    private static void assertEveryTaskFailed(TaskShimDouble shim, int tasks, String setupReason) {
        int setupTask = shim.arrivals.get(0);
        for (int task = 0; task < tasks; task++) {
            assertEquals(TaskShimDouble.End.FAILED, shim.ends.get(task), "task " + task);
            assertEquals(0, shim.operationsOf(task, TaskOperation.JoinNamespaces.class).size());
            if (task != setupTask) {
                assertEquals(List.of(NodeStep.NOT_STARTED), shim.failureOf(task));
            }
        }
        assertTrue(shim.failureOf(setupTask).contains(setupReason), shim.failureOf(setupTask).toString());
        assertEquals(NodeStep.Phase.NOT_STARTED, shim.step.phase());
    }

    private static List<Integer> joinReporters(TaskShimDouble shim) {
        List<Integer> reporters = new ArrayList<>();
        for (String event : shim.events) {
            if (event.endsWith(" JOINED")) {
                reporters.add(Integer.parseInt(event.split(" ")[1]));
            }
        }
        return reporters;
    }

    private static int indexOf(List<TaskOperation> ops, Class<? extends TaskOperation> type) {
        for (int i = 0; i < ops.size(); i++) {
            if (type.isInstance(ops.get(i))) {
                return i;
            }
        }
        return -1;
    }

    private static int factorial(int n) {
        return n <= 1 ? 1 : n * factorial(n - 1);
    }
}
