package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.in.Delivery;
import dev.jpyxis.domain.port.in.StartOutcome;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.out.StepPorts;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.internal.image.ImageMode;
import dev.jpyxis.domain.internal.image.ImageReference;
import dev.jpyxis.domain.internal.env.EnvironmentChange;
import dev.jpyxis.domain.internal.env.RuntimeEnvironment;
import dev.jpyxis.domain.internal.env.TaskEnvironment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.port.out.FstabEntry;
import dev.jpyxis.domain.internal.mount.MountPlanning;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.option.TriState;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.plan.TaskOperation.Checkpoint;
import dev.jpyxis.domain.plan.TaskPlan;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.ContainerProcesses.InspectionException;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.OwnershipRecord;
import dev.jpyxis.domain.port.out.ProcessIdentity;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.StartConfiguration;
import dev.jpyxis.domain.internal.step.StepContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The per-node state machine of one step (docs/pyxis-compatibility.md#sharing-one-container-per-node): the first local
 * task to arrive sets the container up and starts it once; every local task then joins it; the last one to join
 * releases the stopped first process; the last one to exit exports and cleans up.
 *
 * <p>Concurrency is explicit: tasks arrive in any order and the machine answers each event with the plan segments to
 * deliver, possibly to tasks other than the one the event came from (the tasks waiting for the setup). Side effects
 * go through the {@link StepPorts}. Not thread-safe: callers serialise events.
 */
public final class NodeStep {

    static final String NOT_STARTED = "pyxis: container was not started successfully by another task";
    static final String SETUP_TASK_DIED = "pyxis: a previous task terminated unexpectedly during container setup";

    /** Where the container stands. */
    public enum Phase {
        /** {@code user_init} failed; every task fails. */
        DEFERRED_FAILURE,
        /** No task has arrived yet. */
        AWAITING_SETUP_TASK,
        /** The setup task was told what is about to happen; setup begins when it reports back. */
        SETUP_ANNOUNCED,
        /** The setup task is starting the container's first process. */
        STARTING,
        /** The container runs; tasks join it. */
        RUNNING,
        /** The container could not be set up or started; every later task fails. */
        NOT_STARTED
    }

    /** Where one local task stands. */
    public enum TaskStage { WAITING, SETTING_UP, JOINING, JOINED, FINISHED, FAILED, LOST }

    private final StepContext step;
    private final PluginConfig config;
    private final StepPorts ports;
    private final String daemonPath;
    private final StepSetup setup;
    private final ProgressLines progress;

    private Phase phase;
    private final Map<Integer, TaskStage> stages = new LinkedHashMap<>();
    private final Map<Integer, Environment> taskEnvironments = new HashMap<>();
    private int setupTask = -1;
    private boolean setupBegan;
    private RuntimeInvocation setupInvocation;
    /** What the setup task learnt of the image in the user's cache. */
    private CachedImages.Lookup cache = new CachedImages.Lookup.Uncached();
    /** The setup task was told "importing docker image" before the setup began. */
    private boolean importAnnounced;
    private ContainerLaunch launch;
    /** What the setup task starts: a container's name, or a squashfs file started in place. */
    private String launchTarget;
    private StartedContainer container;
    private List<String> failureLines = List.of(NOT_STARTED);
    private boolean setupTaskDied;
    private boolean released;
    /**
     * The task whose plan resumes the container after its joins, or -1. Its connection closes when it executes the
     * user's command, or when a join fails before the resume: either way the engine then resumes the first process
     * too (a no-op when it already runs or is gone), as it does for a task lost while joining.
     */
    private int releasingTask = -1;
    private int exited;
    private boolean cleanedUp;

    public NodeStep(StepContext step, PluginConfig config, StepPorts ports, String daemonPath, PreparedStep prepared) {
        this(step, config, ports, daemonPath, prepared, ProgressLines.silent(ports.clock()));
    }

    /** @param progress where the lines about a long command of the setup go while it runs */
    public NodeStep(StepContext step, PluginConfig config, StepPorts ports, String daemonPath, PreparedStep prepared,
            ProgressLines progress) {
        this.progress = progress;
        this.step = step;
        this.config = config;
        this.ports = ports;
        this.daemonPath = daemonPath;
        if (prepared instanceof PreparedStep.Ready ready) {
            this.setup = ready.setup();
            this.phase = Phase.AWAITING_SETUP_TASK;
            if (CachedImages.asksDigest(setup, ports)) {
                // asked by the setup task, with the job's runtime environment as here
                ports.digests().digestSoon(jobInvocation(), setup.image().orElseThrow().uri());
            }
        } else {
            this.setup = null;
            this.phase = Phase.DEFERRED_FAILURE;
        }
    }

    public Phase phase() {
        return phase;
    }

    public Optional<TaskStage> stage(int localTask) {
        return Optional.ofNullable(stages.get(localTask));
    }

    /** A task reached {@code task_init} with its own environment. */
    public List<Delivery> taskArrived(int localTask, Environment taskEnvironment) {
        if (stages.containsKey(localTask)) {
            throw new IllegalStateException("task " + localTask + " arrived twice");
        }
        stages.put(localTask, TaskStage.WAITING);
        taskEnvironments.put(localTask, taskEnvironment);
        return switch (phase) {
            case DEFERRED_FAILURE -> List.of(fail(localTask, List.of()));
            case AWAITING_SETUP_TASK -> beginSetup(localTask);
            case SETUP_ANNOUNCED, STARTING -> List.of();
            case RUNNING -> List.of(join(localTask, List.of()));
            case NOT_STARTED -> List.of(failNotStarted(localTask));
        };
    }

    /** A task reports a checkpoint; {@code outcome} is given with {@link Checkpoint#STARTED} only. */
    public List<Delivery> taskReported(int localTask, Checkpoint checkpoint, Optional<StartOutcome> outcome) {
        TaskStage stage = stages.get(localTask);
        return switch (checkpoint) {
            case READY_FOR_SETUP -> {
                expect(phase == Phase.SETUP_ANNOUNCED && localTask == setupTask, localTask, checkpoint);
                yield performSetup(localTask, new ArrayList<>());
            }
            case STARTED -> {
                expect(phase == Phase.STARTING && localTask == setupTask && outcome.isPresent(), localTask,
                        checkpoint);
                yield started(localTask, outcome.get());
            }
            case JOINED -> {
                expect(stage == TaskStage.JOINING, localTask, checkpoint);
                stages.put(localTask, TaskStage.JOINED);
                yield List.of(new Delivery(localTask, releaseIfLast()));
            }
        };
    }

    /** A task went away (its connection closed) before finishing {@code task_init}. */
    public List<Delivery> taskLost(int localTask) {
        TaskStage stage = stages.get(localTask);
        if (localTask == releasingTask) {
            releasingTask = -1;
            try {
                ports.processes().resume(container.pid());
            } catch (InspectionException ignored) {
                // gone already: it ran on
            }
        }
        if (stage == null || stage == TaskStage.FINISHED || stage == TaskStage.FAILED || stage == TaskStage.LOST) {
            return List.of();
        }
        stages.put(localTask, TaskStage.LOST);
        if (localTask == setupTask && (phase == Phase.SETUP_ANNOUNCED || phase == Phase.STARTING)) {
            finishLaunch();
            phase = Phase.NOT_STARTED;
            setupTaskDied = true;
            List<Delivery> deliveries = new ArrayList<>();
            for (int waiting : tasksIn(TaskStage.WAITING)) {
                deliveries.add(failNotStarted(waiting));
            }
            return deliveries;
        }
        if (phase == Phase.RUNNING && !released && joinedCount() == expectedJoiners() && !setup.directStart()) {
            released = true;
            try {
                ports.processes().resume(container.pid());
            } catch (InspectionException ignored) {
                // the process may be gone already; nothing waits for it
            }
        }
        return List.of();
    }

    /**
     * {@code task_exit} for one task (in slurmstepd, as each exit status is collected). The last one exports the
     * container when every task got through {@code task_init} and {@code --container-save} is set, then cleans up.
     */
    public HookOutcome taskExited(int localTask) {
        exited++;
        if (exited < step.localTaskCount() || phase == Phase.DEFERRED_FAILURE || cleanedUp) {
            return HookOutcome.nothing();
        }
        return finish(true);
    }

    /** The step ends ({@code slurm_spank_exit}, or slurmstepd is gone): clean up whatever was not yet. */
    public HookOutcome stepEnded() {
        if (phase == Phase.DEFERRED_FAILURE || cleanedUp) {
            return HookOutcome.nothing();
        }
        return finish(false);
    }

    // ---- setup

    /**
     * The first task to arrive sets the container up. Before the setup begins it may be told what is about to
     * happen: that the image is imported, or that another step imports the same image into the user's cache right
     * now and this one waits for it (docs/runtimes.md#the-image-cache).
     */
    private List<Delivery> beginSetup(int localTask) {
        setupTask = localTask;
        stages.put(localTask, TaskStage.SETTING_UP);
        setupInvocation = new RuntimeInvocation(runtimeEnvironment(taskEnvironments.get(localTask)),
                step.workingDirectory());
        List<Diagnostic> diagnostics = new ArrayList<>();
        cache = CachedImages.lookUp(setup, ports, jobInvocation(), diagnostics);
        importAnnounced = setup.mode().isPresent() && setup.mode().get().fromRegistry() && !cache.found()
                && !cache.waits();
        if (!importAnnounced && !cache.waits()) {
            return performSetup(localTask, diagnostics);
        }
        phase = Phase.SETUP_ANNOUNCED;
        List<TaskOperation> ops = logs(diagnostics);
        ImageReference image = setup.image().orElseThrow();
        ops.add(new TaskOperation.Log(importAnnounced ? progress.importing(step, image)
                : Diagnostic.user(CachedImages.WAITING + image.asGiven())));
        ops.add(new TaskOperation.Report(Checkpoint.READY_FOR_SETUP));
        return List.of(new Delivery(localTask, new TaskPlan(ops)));
    }

    /** @param diagnostics lines not yet shown, to which the setup's are added */
    private List<Delivery> performSetup(int localTask, List<Diagnostic> diagnostics) {
        setupBegan = true;
        RootFilesystemSetup.Result root;
        try {
            root = new RootFilesystemSetup(step, setup, config, ports, cache, progress, localTask, importAnnounced)
                    .run(setupInvocation, diagnostics);
        } catch (PyxisException failed) {
            phase = Phase.NOT_STARTED;
            List<TaskOperation> ops = logs(diagnostics);
            ops.add(new TaskOperation.Fail(failed.lines()));
            return failSetup(localTask, new TaskPlan(ops));
        }
        ContainerOptions options = setup.options();
        diagnostics.add(Diagnostic.info(root.fromSquashfsFile()
                ? "pyxis: starting container from squashfs: " + root.target()
                : "pyxis: starting container: " + root.target()));
        try {
            List<FstabEntry> mounts = MountPlanning.fstabEntries(setup.mounts(), ports.files()::probe, diagnostics);
            launchTarget = root.target();
            StartConfiguration configuration = new StartConfiguration(root.target(), root.fromSquashfsFile(), mounts,
                    setup.executeEntrypoint(), options.environmentNames(), options.mountHome(), options.remapRoot(),
                    options.writable(), options.unshare(), setupInvocation.environment(),
                    StartConfiguration.STOP_THEN_EXIT);
            launch = ports.runtime().prepareStart(setupInvocation.reportingTo(diagnostics), configuration);
        } catch (PyxisException failed) {
            phase = Phase.NOT_STARTED;
            List<String> lines = new ArrayList<>(failed.lines());
            lines.add("pyxis: couldn't create " + ports.runtime().traits().name() + " start configuration script");
            lines.add(NOT_STARTED);
            releaseDirectImporterFile(diagnostics);
            List<TaskOperation> ops = logs(diagnostics);
            ops.add(new TaskOperation.Fail(lines));
            return failSetup(localTask, new TaskPlan(ops));
        }
        phase = Phase.STARTING;
        List<TaskOperation> ops = logs(diagnostics);
        ops.add(new TaskOperation.StartContainer(launch.argv(), launch.environment(),
                StartedContainer.setup(launch, step.privileged())));
        ops.add(new TaskOperation.Report(Checkpoint.STARTED));
        return List.of(new Delivery(localTask, new TaskPlan(ops)));
    }

    private List<Delivery> started(int localTask, StartOutcome outcome) {
        finishLaunch();
        List<TaskOperation> before = new ArrayList<>();
        if (outcome instanceof StartOutcome.Unprepared unprepared) {
            try {
                ports.processes().resume(unprepared.pid());
            } catch (InspectionException ignored) {
                // it may have gone already
            }
        }
        if (cleanedUp) {
            // the step ended first (a scancel's task_exit handled before this report): nothing may start now, and the
            // first process, which no task will release, is let go
            if (outcome instanceof StartOutcome.Stopped stopped) {
                try {
                    ports.processes().resume(stopped.pid());
                } catch (InspectionException ignored) {
                    // gone already
                }
            }
            phase = Phase.NOT_STARTED;
            return failSetup(localTask, TaskPlan.fail(failureLines));
        }
        if (!(outcome instanceof StartOutcome.Stopped stopped)) {
            phase = Phase.NOT_STARTED;
            List<Diagnostic> released = new ArrayList<>();
            releaseDirectImporterFile(released);
            List<TaskOperation> ops = logs(released);
            ops.add(new TaskOperation.Fail(startFailure(outcome)));
            return failSetup(localTask, new TaskPlan(ops));
        }
        long namespacePid = setup.attachPid().orElse(stopped.pid());
        try {
            container = StartedContainer.inspect(ports.processes(), stopped.pid(), namespacePid, step.privileged(),
                    setup.options().unshare(), ports.runtime().traits().nestsUserNamespace());
        } catch (PyxisException unusable) {
            phase = Phase.NOT_STARTED;
            failureLines = unusable.lines();
            try {
                ports.processes().resume(stopped.pid());
            } catch (InspectionException ignored) {
                // it may have gone already
            }
            return failSetup(localTask, TaskPlan.fail(failureLines));
        }
        phase = Phase.RUNNING;
        if (setup.directStart() && setup.name().temporary()) {
            recordStartedInPlace(stopped.pid(), launchTarget);
        }
        if (setup.executeEntrypoint() && setup.options().entrypointLog() == TriState.TRUE) {
            for (String line : outcome.log()) {
                before.add(new TaskOperation.Log(Diagnostic.user(line)));
            }
        }
        List<Delivery> deliveries = new ArrayList<>();
        deliveries.add(join(localTask, before));
        for (int waiting : tasksIn(TaskStage.WAITING)) {
            deliveries.add(join(waiting, List.of()));
        }
        return deliveries;
    }

    /**
     * A container started in place is listed by no runtime: its ownership record names its first process, so that a
     * step can attach to it by name (pyxis's {@code --container-name=<J>.<S>:exec}) while it runs.
     */
    private void recordStartedInPlace(long pid, String image) {
        Optional<ProcessIdentity> process = ports.ledger().identify(pid);
        if (process.isEmpty()) {
            return;
        }
        String name = setup.name().value();
        ProcessIdentity self = ports.ledger().self();
        Optional<OwnershipRecord> mine = ports.ledger().records().stream()
                .filter(record -> record.containerName().equals(name) && record.owner().equals(self)).findFirst();
        mine.ifPresent(ports.ledger()::erase);
        ports.ledger().write(mine.orElseGet(() -> new OwnershipRecord(name, OwnershipRecord.Ownership.STEP,
                step.jobId(), step.stepId(), step.restartCount(), ports.ledger().bootId(), self, Optional.empty()))
                .inPlace(new OwnershipRecord.InPlace(process.get(), image)));
    }

    private List<String> startFailure(StartOutcome outcome) {
        List<String> lines = new ArrayList<>();
        if (outcome instanceof StartOutcome.Exited exited && exited.code() != 0) {
            lines.add("pyxis: container start failed with error code: " + exited.code());
        } else if (outcome instanceof StartOutcome.NotStarted notStarted) {
            lines.add("pyxis: fork error: " + notStarted.reason());
            lines.add("pyxis: failed to start container");
        } else if (outcome instanceof StartOutcome.Unprepared unprepared) {
            // the runtime started the container: its log says nothing about the mount
            return List.of(unprepared.reason(), NOT_STARTED);
        } else if (outcome instanceof StartOutcome.WaitFailed waitFailed) {
            lines.add("pyxis: container start error: " + waitFailed.reason());
        } else {
            lines.add("pyxis: container exited too soon");
        }
        if (setup.executeEntrypoint()) {
            lines.add("pyxis: if the image has an unusual entrypoint, try using --no-container-entrypoint");
        }
        lines.addAll(RuntimeLog.lines(ports.runtime().traits().name(), outcome.log()));
        lines.add(NOT_STARTED);
        return lines;
    }

    private void releaseDirectImporterFile(List<Diagnostic> diagnostics) {
        if (setup.mode().isPresent() && setup.mode().get() == ImageMode.IMPORTER_DIRECT) {
            ImporterRelease.release(ports, setupInvocation.reportingTo(diagnostics), diagnostics, "pyxis: failed to call importer release");
        }
    }

    /** The setup task gets its own failure; every task waiting for it fails too. */
    private List<Delivery> failSetup(int localTask, TaskPlan plan) {
        stages.put(localTask, TaskStage.FAILED);
        List<Delivery> deliveries = new ArrayList<>();
        deliveries.add(new Delivery(localTask, plan));
        for (int waiting : tasksIn(TaskStage.WAITING)) {
            deliveries.add(failNotStarted(waiting));
        }
        return deliveries;
    }

    // ---- joining

    private Delivery join(int localTask, List<TaskOperation> before) {
        List<TaskOperation> ops = new ArrayList<>(before);
        Environment task = taskEnvironments.remove(localTask); // joined once: not kept for the step's lifetime
        Environment merged;
        try {
            merged = TaskEnvironment.merge(task, container.environment(), setup.options().environmentNames(),
                    ports.runtime().traits().has(RuntimeFeature.PYTORCH_HOOK));
        } catch (PyxisException failed) {
            stages.put(localTask, TaskStage.FAILED);
            ops.add(new TaskOperation.Fail(failed.lines()));
            return new Delivery(localTask, new TaskPlan(ops));
        }
        for (EnvironmentChange change : TaskEnvironment.changes(task, merged)) {
            ops.add(change instanceof EnvironmentChange.Set set
                    ? new TaskOperation.SetVariable(set.name(), set.value())
                    : new TaskOperation.UnsetVariable(change.name()));
        }
        ops.add(new TaskOperation.JoinNamespaces(container.namespacePid(), container.joins()));
        Optional<String> workdir = setup.options().workdir();
        ops.add(workdir.isPresent()
                ? new TaskOperation.ChangeDirectory(workdir.get(), "pyxis: couldn't chdir to " + workdir.get())
                : new TaskOperation.ChangeDirectory(container.workingDirectory(),
                        "pyxis: couldn't chdir to container cwd " + container.workingDirectory()));
        if (!step.privileged()) {
            ops.add(new TaskOperation.InstallSeccompFilter("pyxis: seccomp filter failed"));
        }
        if (joinedCount() + 1 == expectedJoiners()) {
            // no other task can still join: release the container in this segment, with no round trip
            stages.put(localTask, TaskStage.FINISHED);
            if (!released && !setup.directStart()) {
                released = true;
                releasingTask = localTask;
                ops.add(new TaskOperation.ResumeContainer(container.pid(),
                        "pyxis: couldn't send SIGCONT to container process"));
            }
            return new Delivery(localTask, new TaskPlan(ops));
        }
        ops.add(new TaskOperation.Report(Checkpoint.JOINED));
        stages.put(localTask, TaskStage.JOINING);
        return new Delivery(localTask, new TaskPlan(ops));
    }

    /** The last local task to join releases the stopped first process (never in direct-start mode). */
    private TaskPlan releaseIfLast() {
        int localTask = -1;
        for (var entry : stages.entrySet()) {
            if (entry.getValue() == TaskStage.JOINED) {
                localTask = entry.getKey();
            }
        }
        stages.replaceAll((task, stage) -> stage == TaskStage.JOINED ? TaskStage.FINISHED : stage);
        if (released || setup.directStart() || joinedCount() < expectedJoiners()) {
            return TaskPlan.done();
        }
        released = true;
        return TaskPlan.of(new TaskOperation.ResumeContainer(container.pid(),
                "pyxis: couldn't send SIGCONT to container process"));
    }

    private int joinedCount() {
        return tasksIn(TaskStage.FINISHED).size() + tasksIn(TaskStage.JOINED).size();
    }

    /** Local tasks that may still join: all of them, but those lost or failed. */
    private int expectedJoiners() {
        return step.localTaskCount() - tasksIn(TaskStage.LOST).size() - tasksIn(TaskStage.FAILED).size();
    }

    // ---- the end

    private HookOutcome finish(boolean exportAllowed) {
        cleanedUp = true;
        finishLaunch();
        List<Diagnostic> diagnostics = new ArrayList<>();
        RuntimeInvocation invocation = jobInvocation().reportingTo(diagnostics);
        StepCleanup cleanup = new StepCleanup(step, setup, ports);
        boolean failed = false;
        Optional<String> save = setup.options().save();
        boolean everyTaskStarted = tasksIn(TaskStage.FINISHED).size() == step.localTaskCount();
        if (exportAllowed && save.isPresent() && phase == Phase.RUNNING && everyTaskStarted) {
            failed = !cleanup.export(invocation, save.get(), diagnostics);
        }
        endDirectStart();
        cleanup.cleanUp(invocation, setupBegan, diagnostics);
        return new HookOutcome(diagnostics, failed);
    }

    /**
     * A container started in place keeps its first process stopped while tasks run, because that process holds the
     * runtime's FUSE mounts (pyxis_slurmstepd.c, enroot_stop_once). Once no task is left, it may go: resumed, it exits
     * and the runtime unmounts, rather than waiting for Slurm's process tracking to kill it.
     */
    private void endDirectStart() {
        if (!setup.directStart() || container == null || released) {
            return;
        }
        released = true;
        try {
            ports.processes().resume(container.pid());
        } catch (InspectionException ignored) {
            // gone already: nothing holds the mounts
        }
    }

    // ---- helpers

    /**
     * Lets the runtime remove what it prepared for the start (Charliecloud's squashfuse mount of an image started in
     * place, enroot's start configuration), whatever became of the start: reported, failed, its task lost, or the
     * step ended before the report was handled; what the runtime could not remove yet it is asked again for at the
     * step's end (docs/lifecycle.md#faults).
     */
    private void finishLaunch() {
        if (launch != null && ports.runtime().finishStart(launch)) {
            launch = null;
        }
    }

    /** The runtime environment made from the job's, as {@code user_init} has it: the digest query's, pyxis's import's. */
    private RuntimeInvocation jobInvocation() {
        return new RuntimeInvocation(runtimeEnvironment(step.jobEnvironment()), step.workingDirectory());
    }

    private Environment runtimeEnvironment(Environment from) {
        return RuntimeEnvironment.build(daemonPath, from, ports.runtime().traits().protectedVariables(), step.uid(),
                step.gid(), config.runtimePath());
    }

    private Delivery fail(int localTask, List<String> lines) {
        stages.put(localTask, TaskStage.FAILED);
        return new Delivery(localTask, TaskPlan.fail(lines));
    }

    /** Pyxis's order: the first task to look after the setup task died learns that; later ones see no container. */
    private Delivery failNotStarted(int localTask) {
        if (setupTaskDied) {
            setupTaskDied = false;
            return fail(localTask, List.of(SETUP_TASK_DIED));
        }
        return fail(localTask, failureLines);
    }

    private List<Integer> tasksIn(TaskStage stage) {
        List<Integer> tasks = new ArrayList<>();
        stages.forEach((task, s) -> {
            if (s == stage) {
                tasks.add(task);
            }
        });
        return tasks;
    }

    private static List<TaskOperation> logs(List<Diagnostic> diagnostics) {
        List<TaskOperation> ops = new ArrayList<>();
        diagnostics.forEach(d -> ops.add(new TaskOperation.Log(d)));
        return ops;
    }

    private void expect(boolean condition, int localTask, Checkpoint checkpoint) {
        if (!condition) {
            throw new IllegalStateException("task " + localTask + " reported " + checkpoint + " in phase " + phase
                    + " at stage " + stages.get(localTask));
        }
    }
}
