package dev.jpyxis.domain.service;

import dev.jpyxis.domain.config.ContainerScope;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.internal.env.RuntimeEnvironment;
import dev.jpyxis.domain.internal.lifecycle.Leftovers;
import dev.jpyxis.domain.internal.lifecycle.NodeStep;
import dev.jpyxis.domain.internal.lifecycle.PreparedStep;
import dev.jpyxis.domain.internal.lifecycle.ProgressLines;
import dev.jpyxis.domain.internal.lifecycle.StepPreparation;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.internal.step.StepContext;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.plan.TaskOperation.Checkpoint;
import dev.jpyxis.domain.plan.TaskPlan;
import dev.jpyxis.domain.port.in.Delivery;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.in.NodeStepEvents;
import dev.jpyxis.domain.port.in.StartOutcome;
import dev.jpyxis.domain.port.in.StepIdentity;
import dev.jpyxis.domain.port.in.StepLaunch;
import dev.jpyxis.domain.port.in.UserInit;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.NodePorts;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.SetupProgress;
import dev.jpyxis.domain.port.out.StepPorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A step opened on a node: {@code user_init} decides its container, then the {@link NodeStep} runs its tasks. */
final class OpenedNodeStep implements NodeStepEvents {

    static final String NO_USER_INIT = "pyxis: the engine got no user_init for this step";

    private final PluginConfig config;
    private final StepLaunch launch;
    private final ContainerOptions options;
    private final NodePorts node;
    private final ContainerRuntime runtime;
    private final SetupProgress display;
    private NodeStep nodeStep;
    /** Set once by user_init; read by {@link #timePassed} from the driver's clock thread. */
    private volatile ProgressLines progress;

    OpenedNodeStep(PluginConfig config, StepLaunch launch, ContainerOptions options, NodePorts node,
            ContainerRuntime runtime, SetupProgress display) {
        this.config = config;
        this.launch = launch;
        this.options = options;
        this.node = node;
        this.runtime = runtime;
        this.display = display;
        if (options.name().isPresent()) {
            // user_init looks the name up; the job environment it will bring is the one init brought
            runtime.listSoon(invocation(launch.jobEnvironment(), StepContext.jobCwd(launch.jobEnvironment())
                    .orElse("/")));
        }
    }

    @Override
    public HookOutcome userInit(UserInit request) {
        if (nodeStep != null) {
            throw new IllegalStateException("user_init came twice");
        }
        StepIdentity id = launch.identity();
        StepContext step = new StepContext(id.uid(), id.gid(), id.supplementaryGids(), id.jobId(), id.stepId(),
                id.localTasks(), id.totalTasks(), id.restarts(), request.jobEnvironment(), request.workingDirectory(),
                id.isBatchStep() ? request.firstArgument() : Optional.empty());
        StepPorts ports = node.stepPorts(config, step.uid(), runtime);
        RuntimeInvocation invocation = invocation(request.jobEnvironment(), step.workingDirectory());
        List<Diagnostic> diagnostics = new ArrayList<>(
                new Leftovers(runtime, ports.ledger(), ports.files()).removeLeftovers(step, invocation));
        if (config.containerScope() == ContainerScope.JOB && !ports.ledger().expectEpilog(step.jobId())) {
            diagnostics.add(Diagnostic.info("pyxis: couldn't leave the job epilog's trace: the job's containers on "
                    + "this node go at the user's next container step here"));
        }
        PreparedStep prepared = new StepPreparation(config, runtime, ports.ledger(), ports.files()).prepare(step, options, invocation);
        diagnostics.addAll(prepared.diagnostics());
        progress = new ProgressLines(display, ports.clock(), ports.writes(), config.progressIntervalSeconds(),
                launch.node());
        nodeStep = new NodeStep(step, config, ports, launch.daemonPath(), prepared, progress);
        return new HookOutcome(diagnostics, !(prepared instanceof PreparedStep.Ready));
    }

    /** How the step's runtime commands run: the runtime environment made from the job's. */
    private RuntimeInvocation invocation(Environment jobEnvironment, String workingDirectory) {
        StepIdentity id = launch.identity();
        return new RuntimeInvocation(RuntimeEnvironment.build(launch.daemonPath(), jobEnvironment,
                runtime.traits().protectedVariables(), id.uid(), id.gid(), config.runtimePath()), workingDirectory);
    }

    @Override
    public List<Delivery> taskArrived(int localTask, Environment taskEnvironment) {
        if (nodeStep == null) {
            return List.of(new Delivery(localTask, TaskPlan.fail(List.of(NO_USER_INIT))));
        }
        return nodeStep.taskArrived(localTask, taskEnvironment);
    }

    @Override
    public List<Delivery> taskReported(int localTask, Checkpoint checkpoint, Optional<StartOutcome> outcome) {
        return nodeStep == null ? List.of() : nodeStep.taskReported(localTask, checkpoint, outcome);
    }

    @Override
    public List<Delivery> taskLost(int localTask) {
        return nodeStep == null ? List.of() : nodeStep.taskLost(localTask);
    }

    @Override
    public HookOutcome taskExited(int localTask) {
        return nodeStep == null ? HookOutcome.nothing() : nodeStep.taskExited(localTask);
    }

    @Override
    public HookOutcome stepEnded() {
        return nodeStep == null ? HookOutcome.nothing() : nodeStep.stepEnded();
    }

    @Override
    public void timePassed() {
        ProgressLines lines = progress;
        if (lines != null) {
            lines.tick();
        }
    }
}
