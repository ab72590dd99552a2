package dev.jpyxis.domain.internal.lifecycle;

import static dev.jpyxis.domain.internal.lifecycle.Steps.options;
import static dev.jpyxis.domain.internal.lifecycle.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.internal.step.StepContext;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Several node-steps sharing one node: they meet only through the runtime, as in pyxis
 * (docs/pyxis-compatibility.md#named-containers-and-reuse).
 */
@DisplayName("concurrent steps on one node")
class ConcurrentStepsTest {

    private final FakeNode node = new FakeNode();

    private TaskShimDouble start(PluginConfig config, StepContext step, ContainerOptions options) {
        return new TaskShimDouble(new NodeStep(step, config, node.ports(false), Steps.DAEMON_PATH,
                Steps.prepare(node, config, step, options)), step.localTaskCount());
    }

    @Test
    @DisplayName("two steps of one job: two unnamed containers, each removed by its own step")
    void twoUnnamedSteps() {
        TaskShimDouble first = start(PluginConfig.defaults(), step(12, 1, 1), options("--container-image=/u.sqsh"));
        TaskShimDouble second = start(PluginConfig.defaults(), step(12, 2, 1), options("--container-image=/u.sqsh"));
        first.arrive(0);
        second.arrive(0);
        first.report(0);
        second.report(0);
        assertTrue(node.containers.keySet().containsAll(java.util.List.of("pyxis_12.1", "pyxis_12.2")));
        first.step.taskExited(0);
        assertEquals(java.util.List.of("pyxis_12.2"), java.util.List.copyOf(node.containers.keySet()));
        second.step.taskExited(0);
        assertTrue(node.containers.isEmpty());
    }

    @Test
    @DisplayName("a second step attaches to a running unnamed container with --container-name=J.S")
    void attachToRunningUnnamed() {
        TaskShimDouble first = start(PluginConfig.defaults(), step(12, 1, 1), options("--container-image=/u.sqsh"));
        first.arrive(0);
        first.report(0);
        node.containers.put("pyxis_12.1", OptionalLong.of(4242));
        TaskShimDouble second = start(PluginConfig.defaults(), step(12, 2, 1), options("--container-name=12.1"));
        second.arrive(0);
        second.report(0);
        TaskOperation.JoinNamespaces join = (TaskOperation.JoinNamespaces) second
                .operationsOf(0, TaskOperation.JoinNamespaces.class).get(0);
        assertEquals(4242, join.pid());
        second.step.taskExited(0);
        assertTrue(node.containers.containsKey("pyxis_12.1"), "the attaching step does not own it");
    }

    @Test
    @DisplayName("two jobs creating one global name at once: the second create fails, its step fails")
    void twoJobsOneGlobalName() {
        TaskShimDouble jobA = start(PluginConfig.defaults(), step(20, 0, 1),
                options("--container-image=/u.sqsh", "--container-name=shared"));
        TaskShimDouble jobB = start(PluginConfig.defaults(), step(21, 0, 1),
                options("--container-image=/u.sqsh", "--container-name=shared"));
        jobA.arrive(0);
        jobB.arrive(0);
        assertEquals(TaskShimDouble.End.FAILED, jobB.ends.get(0));
        assertTrue(jobB.failureOf(0).contains(
                "pyxis: failed to create container filesystem for image: /u.sqsh"));
        jobA.report(0); // started; its only task then joins without a report
        assertEquals(TaskShimDouble.End.EXEC, jobA.ends.get(0));
    }

    @Test
    @DisplayName("job scope: the same name in two jobs gives two containers")
    void jobScopeSeparates() {
        PluginConfig jobScope = PluginConfig.parse("container_scope=job");
        TaskShimDouble jobA = start(jobScope, step(20, 0, 1), options("--container-image=/u.sqsh", "--container-name=x"));
        TaskShimDouble jobB = start(jobScope, step(21, 0, 1), options("--container-image=/u.sqsh", "--container-name=x"));
        jobA.arrive(0);
        jobB.arrive(0);
        assertTrue(node.containers.keySet().containsAll(java.util.List.of("pyxis_20_x", "pyxis_21_x")));
    }
}
