package dev.jpyxis.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.internal.lifecycle.FakeNode;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.plan.TaskOperation.Checkpoint;
import dev.jpyxis.domain.port.in.Delivery;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.in.NodeStepEvents;
import dev.jpyxis.domain.port.in.StartOutcome;
import dev.jpyxis.domain.port.in.StepIdentity;
import dev.jpyxis.domain.port.in.StepLaunch;
import dev.jpyxis.domain.port.in.StepOpening;
import dev.jpyxis.domain.port.in.UserInit;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the node-step in-port: what the engine and the simulator drive")
class NodeStepServiceTest {

    private static final StepIdentity STEP = new StepIdentity(1000, 100, List.of(100L), 12, 3, 1, 1, 0);
    private static final Environment JOB = Environment.of("PATH", "/usr/bin:/bin", "HOME", "/home/u", "PWD",
            "/home/u", "SLURM_JOB_UID", "1000");

    private final FakeNode node = new FakeNode();
    private final NodeStepService service = new NodeStepService(node.asNodePorts());

    private StepOpening open(List<String> config, OptionUse... options) {
        return service.open(new StepLaunch(config, STEP, List.of(options), JOB, "/usr/bin:/bin", "node1"));
    }

    private NodeStepEvents opened(OptionUse... options) {
        return assertInstanceOf(StepOpening.Opened.class, open(List.of("runtime_path=/run/pyxis"), options))
                .events();
    }

    private static List<TaskOperation> operations(List<Delivery> deliveries) {
        return deliveries.stream().flatMap(delivery -> delivery.plan().operations().stream()).toList();
    }

    @Test
    @DisplayName("an unreadable plugstack line refuses the step with pyxis's lines")
    void unreadableConfiguration() {
        StepOpening opening = open(List.of("container_scope=bogus"), OptionUse.of(ContainerOption.IMAGE, "u"));
        assertEquals(List.of(Diagnostic.error("pyxis: container_scope: invalid value: bogus"),
                Diagnostic.error("pyxis: failed to parse configuration")),
                assertInstanceOf(StepOpening.Refused.class, opening).diagnostics());
    }

    @Test
    @DisplayName("a job without a usable PWD is noted at info level with Slurm's reason, as pyxis does")
    void jobCwdMissing() {
        StepLaunch without = new StepLaunch(List.of(), STEP, List.of(OptionUse.of(ContainerOption.IMAGE, "u")),
                JOB.without("PWD"), "/usr/bin:/bin", "node1");
        assertTrue(assertInstanceOf(StepOpening.Opened.class, service.open(without)).diagnostics()
                .contains(Diagnostic.info("pyxis: couldn't get job cwd path: No such environment variable")));
        StepLaunch tooLong = new StepLaunch(List.of(), STEP, List.of(OptionUse.of(ContainerOption.IMAGE, "u")),
                JOB.with("PWD", "/" + "d".repeat(4095)), "/usr/bin:/bin", "node1");
        assertTrue(assertInstanceOf(StepOpening.Opened.class, service.open(tooLong)).diagnostics()
                .contains(Diagnostic.info("pyxis: couldn't get job cwd path: Buffer too small")));
        assertEquals(List.of(), assertInstanceOf(StepOpening.Opened.class,
                open(List.of(), OptionUse.of(ContainerOption.IMAGE, "u"))).diagnostics());
    }

    @Test
    @DisplayName("a named step announces its listing at init, with the invocation user_init then lists with")
    void aNamedStepListsSoon() {
        node.addContainer("pyxis_dev");
        NodeStepEvents step = opened(OptionUse.of(ContainerOption.NAME, "dev"));
        assertEquals(List.of(), node.journal(), "nothing runs before user_init");
        assertEquals(1, node.listedSoon().size());
        step.userInit(new UserInit(JOB, "/home/u", Optional.empty()));
        assertEquals(List.of("list"), node.journal());
        assertEquals(node.runtimeEnvironments().get(0), node.listedSoon().get(0).environment());
        assertEquals("/home/u", node.listedSoon().get(0).workingDirectory());
    }

    @Test
    @DisplayName("an unnamed step announces no listing: its user_init lists nothing")
    void anUnnamedStepListsNothing() {
        opened(OptionUse.of(ContainerOption.IMAGE, "u")).userInit(new UserInit(JOB, "/home/u", Optional.empty()));
        assertEquals(List.of(), node.listedSoon());
        assertFalse(node.journal().contains("list"));
    }

    @Test
    @DisplayName("a step without container options stays out of the plugin's hands, and nothing runs")
    void withoutContainer() {
        assertInstanceOf(StepOpening.WithoutContainer.class, open(List.of(),
                OptionUse.of(ContainerOption.WORKDIR, "/w")));
        assertEquals(List.of(), node.journal());
    }

    @Test
    @DisplayName("what the runtime cannot do fails the step at user_init, where the user sees it, naming the runtime")
    void runtimeRefusal() {
        RuntimeTraits plain = new RuntimeTraits("plain", Set.of(), EnumSet.noneOf(RuntimeFeature.class));
        StepOpening opening = new NodeStepService(node.asNodePorts(plain)).open(new StepLaunch(List.of(), STEP,
                List.of(OptionUse.of(ContainerOption.IMAGE, "u"), OptionUse.of(ContainerOption.UNSHARE, "net")), JOB,
                "/usr/bin", "node1"));
        List<Diagnostic> refusal = List.of(
                Diagnostic.error("pyxis: --container-unshare=net is not supported by the plain runtime"));
        StepOpening.Opened opened = assertInstanceOf(StepOpening.Opened.class, opening);
        assertEquals(refusal, opened.diagnostics());
        assertDeferredRefusal(opened.events(), refusal);
    }

    @Test
    @DisplayName("options refused on the node (the client could not check them) fail every task, the lines at user_init")
    void optionsRefusedOnTheNode() {
        StepOpening.Opened opened = assertInstanceOf(StepOpening.Opened.class, open(List.of(),
                OptionUse.of(ContainerOption.IMAGE, "u"), OptionUse.of(ContainerOption.MOUNTS, "nowhere:/x")));
        List<Diagnostic> refusal = List.of(Diagnostic.error(
                "pyxis: mount source must be a relative path, an absolute path, \"tmpfs\" or \"umount\""),
                Diagnostic.error("pyxis: could not add mount entry: nowhere:/x"));
        assertEquals(refusal, opened.diagnostics().stream().filter(refusal::contains).toList());
        assertDeferredRefusal(opened.events(), refusal);
    }

    private void assertDeferredRefusal(NodeStepEvents step, List<Diagnostic> refusal) {
        HookOutcome userInit = step.userInit(new UserInit(JOB, "/home/u", Optional.empty()));
        assertTrue(userInit.failed());
        assertEquals(refusal, userInit.diagnostics());
        assertEquals(List.of(new TaskOperation.Fail(List.of())), operations(step.taskArrived(0, JOB)));
        assertEquals(HookOutcome.nothing(), step.taskExited(0));
        assertEquals(HookOutcome.nothing(), step.stepEnded());
        assertEquals(List.of(), node.journal(), "no runtime command for a refused step");
    }

    @Test
    @DisplayName("an opened step names the user's runtime directory and starts, joins and removes its container")
    void openedStepRunsThroughTheStateMachine() {
        StepOpening opening = open(List.of("runtime_path=/run/pyxis"),
                OptionUse.of(ContainerOption.IMAGE, "/images/u.sqsh"));
        StepOpening.Opened opened = assertInstanceOf(StepOpening.Opened.class, opening);
        assertEquals("/run/pyxis/1000", opened.userRuntimeDirectory());
        NodeStepEvents step = opened.events();

        HookOutcome userInit = step.userInit(new UserInit(JOB, "/home/u", Optional.empty()));
        assertFalse(userInit.failed());

        List<TaskOperation> setup = operations(step.taskArrived(0, JOB));
        assertTrue(setup.stream().anyMatch(op -> op instanceof TaskOperation.StartContainer), setup.toString());
        List<TaskOperation> join = operations(step.taskReported(0, Checkpoint.STARTED,
                Optional.of(new StartOutcome.Stopped(4242, List.of()))));
        assertTrue(join.stream().anyMatch(op -> op instanceof TaskOperation.JoinNamespaces), join.toString());

        assertFalse(step.taskExited(0).failed());
        assertTrue(node.journal().contains("remove pyxis_12.3"), node.journal().toString());
        assertEquals(HookOutcome.nothing(), step.stepEnded());
    }

    @Test
    @DisplayName("a task that arrives before user_init fails, and nothing is started")
    void taskBeforeUserInit() {
        NodeStepEvents step = opened(OptionUse.of(ContainerOption.IMAGE, "/images/u.sqsh"));
        List<TaskOperation> plan = operations(step.taskArrived(0, JOB));
        assertEquals(List.of(new TaskOperation.Fail(List.of(OpenedNodeStep.NO_USER_INIT))), plan);
        assertEquals(HookOutcome.nothing(), step.taskExited(0));
        assertEquals(List.of(), node.journal());
    }

    @Test
    @DisplayName("a failed user_init is reported as failed and every task then fails")
    void deferredFailure() {
        NodeStepEvents step = opened(OptionUse.of(ContainerOption.NAME, "dev:exec"));
        HookOutcome userInit = step.userInit(new UserInit(JOB, "/home/u", Optional.empty()));
        assertTrue(userInit.failed());
        assertTrue(userInit.diagnostics().contains(Diagnostic.error("pyxis: error: \"exec\" flag was passed to "
                + "--container-name but the container is not running")), userInit.diagnostics().toString());
        assertTrue(operations(step.taskArrived(0, JOB)).stream().anyMatch(op -> op instanceof TaskOperation.Fail));
    }

    @Test
    @DisplayName("the batch step's first argument is its script, mounted into the container; other steps' is not")
    void batchScript() {
        StepIdentity batch = new StepIdentity(1000, 100, List.of(), 12, StepIdentity.BATCH_STEP, 1, 0, 0);
        StepOpening.Opened opened = assertInstanceOf(StepOpening.Opened.class, service.open(new StepLaunch(List.of(),
                batch, List.of(OptionUse.of(ContainerOption.IMAGE, "/images/u.sqsh")), JOB, "/usr/bin", "node1")));
        assertFalse(opened.events().userInit(new UserInit(JOB, "/home/u",
                Optional.of("/var/spool/slurmd/job00012/slurm_script"))).failed());
        NodeStepEvents step = opened(OptionUse.of(ContainerOption.IMAGE, "/images/u.sqsh"));
        assertFalse(step.userInit(new UserInit(JOB, "/home/u", Optional.of("python"))).failed());
    }

    @Test
    @DisplayName("with container_scope=job, user_init leaves the trace that the job's epilog has work on this node")
    void epilogTrace() {
        NodeStepEvents step = assertInstanceOf(StepOpening.Opened.class, open(List.of("container_scope=job"),
                OptionUse.of(ContainerOption.IMAGE, "/images/u.sqsh"))).events();
        step.userInit(new UserInit(JOB, "/home/u", Optional.empty()));
        assertEquals(java.util.Set.of(12L), node.epilogTraces());
        FakeNode global = new FakeNode();
        assertInstanceOf(StepOpening.Opened.class, new NodeStepService(global.asNodePorts()).open(new StepLaunch(
                List.of(), STEP, List.of(OptionUse.of(ContainerOption.IMAGE, "/images/u.sqsh")), JOB, "/usr/bin", "node1")))
                .events().userInit(new UserInit(JOB, "/home/u", Optional.empty()));
        assertTrue(global.epilogTraces().isEmpty(), "the default scope leaves no trace: its epilog has no work");
    }
}
