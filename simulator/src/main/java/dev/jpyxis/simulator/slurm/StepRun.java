package dev.jpyxis.simulator.slurm;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.in.Delivery;
import dev.jpyxis.domain.port.in.NodeStepEvents;
import dev.jpyxis.domain.port.in.StepIdentity;
import dev.jpyxis.domain.port.in.StepLaunch;
import dev.jpyxis.domain.port.in.StepOpening;
import dev.jpyxis.domain.port.in.UserInit;
import dev.jpyxis.domain.service.NodeStepService;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.plan.NamespaceKind;
import dev.jpyxis.domain.plan.TaskPlan;
import dev.jpyxis.simulator.node.SimulatedKernel;
import dev.jpyxis.simulator.node.SimulatedNode;
import dev.jpyxis.simulator.node.SimulatedRuntime;
import dev.jpyxis.simulator.report.TimelineEvent;
import dev.jpyxis.simulator.scenario.Scenario.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * One step on its nodes, through the real domain: slurmstepd's {@code init_post_opt} and {@code user_init} per node,
 * then every task's {@code task_init} as events in an order the seeded random source picks (arrivals, plan segments,
 * reports, interleaved across tasks and nodes), the user's commands, and {@code task_exit} in random order.
 */
final class StepRun {

    static final String DAEMON_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    /** One node's part of the step. */
    private static final class NodePart {
        final SimulatedNode node;
        final List<SimulatedTask> tasks = new ArrayList<>();
        NodeStepEvents events;
        /** The engine's heartbeat while the step runs: its ticks reach the domain while a slow command runs. */
        Runnable heartbeat;
        SimulatedKernel.Process engine;
        boolean containerised;
        boolean stepdKilled;
        /** The node dies while the step's commands run (node-dies): every process on it, the step's too. */
        boolean dies;
        /** slurmstepd refused the step's options: its tasks fail without running. */
        boolean launchFailed;

        NodePart(SimulatedNode node) {
            this.node = node;
        }
    }

    /** Something that can happen next. */
    private record Event(NodePart part, SimulatedTask task, TaskPlan plan, SimulatedTask.Report report) {
    }

    private final List<String> pluginArguments;
    private final Random random;
    private final List<Fault> faults;
    private final List<NodePart> parts = new ArrayList<>();
    private String tag;
    private boolean batchStep;

    StepRun(List<String> pluginArguments, Random random, List<Fault> faults) {
        this.pluginArguments = pluginArguments;
        this.random = random;
        this.faults = faults;
    }

    /**
     * @param job       the job, its user and nodes
     * @param stepId    the step's id (the batch step's is {@link StepIdentity#BATCH_STEP})
     * @param layout    tasks per node, in node order
     * @param uses      the container options as slurmstepd receives them
     * @param command   what each task runs; for the batch step, run by the caller through {@code onBatchTask}
     */
    StepResult run(Job job, long stepId, List<Integer> layout, List<OptionUse> uses, Environment userEnvironment,
            List<String> command, BatchBody batchBody) {
        StepResult result = start(job, stepId, layout, uses, userEnvironment, command, batchBody);
        end(result);
        return result;
    }

    /**
     * The step up to its commands having run: the tasks are still alive (in the container's namespaces) until
     * {@link #end}. Runtime commands issued so far are counted in the result.
     */
    StepResult start(Job job, long stepId, List<Integer> layout, List<OptionUse> uses, Environment userEnvironment,
            List<String> command, BatchBody batchBody) {
        StepResult result = new StepResult();
        batchStep = stepId == StepIdentity.BATCH_STEP;
        tag = job.id() + "." + (batchStep ? "batch" : Long.toString(stepId));
        int total = layout.stream().mapToInt(Integer::intValue).sum();
        Map<String, Map<String, Integer>> countsBefore = new TreeMap<>();
        int global = 0;
        for (int n = 0; n < layout.size(); n++) {
            NodePart part = new NodePart(job.nodes().get(n));
            countsBefore.put(part.node.name(), new TreeMap<>(part.node.runtime().counts));
            applyRuntimeFaults(part.node);
            parts.add(part);
            String nodeList = String.join(",", job.nodes().subList(0, layout.size()).stream()
                    .map(SimulatedNode::name).toList());
            Environment jobEnvironment = userEnvironment.withAll(Environment.of("SLURM_JOB_ID", Long.toString(job.id()),
                    "SLURM_STEP_ID", Long.toString(stepId), "SLURM_NTASKS", Integer.toString(total),
                    "SLURM_STEP_NUM_TASKS", Integer.toString(total),
                    "SLURM_STEP_NUM_NODES", Integer.toString(layout.size()), "SLURM_STEP_NODELIST", nodeList,
                    "SLURM_JOB_UID", Long.toString(job.uid()), "PWD", job.home(), "HOME", job.home(),
                    "USER", job.user()).asMap());
            StepIdentity identity = new StepIdentity(job.uid(), job.uid(), List.of(job.uid()), job.id(), stepId,
                    layout.get(n), stepId == StepIdentity.BATCH_STEP ? 0 : total, job.restarts());
            prepare(part, identity, uses, jobEnvironment, new UserInit(jobEnvironment, job.home(),
                    Optional.of(job.batchScript())), result, tag);
            for (int t = 0; t < layout.get(n); t++, global++) {
                Environment taskEnv = jobEnvironment.withAll(Environment.of("SLURM_PROCID", Integer.toString(global),
                        "SLURM_LOCALID", Integer.toString(t), "SLURM_NODEID", Integer.toString(n)).asMap());
                SimulatedKernel.Process process = part.node.kernel().spawn(job.uid(), taskEnv, job.home());
                SimulatedTask task = new SimulatedTask(part.node, t, global, process, result.stderr);
                if (part.launchFailed) {
                    task.end = SimulatedTask.End.FAILED;
                }
                part.tasks.add(task);
            }
            part.stepdKilled = faults.stream().anyMatch(f -> f.kind() == Fault.Kind.SLURMSTEPD_KILLED
                    && (f.node() == null || f.node().equals(part.node.name())));
            part.dies = faults.stream().anyMatch(f -> f.kind() == Fault.Kind.NODE_DIES
                    && part.node.name().equals(f.node()));
        }
        initTasks(parts, tag);
        // counted before the commands run: a batch script's own sruns are steps of their own, counted there
        for (NodePart part : parts) {
            part.node.runtime().faults.clear();
            part.node.runtime().fullDisks.clear();
            countDelta(part, countsBefore.get(part.node.name()), result);
        }
        for (NodePart part : parts) {
            for (SimulatedTask task : part.tasks) {
                if (task.end == SimulatedTask.End.EXEC) {
                    if (batchBody != null) {
                        batchBody.run(task);
                    } else {
                        task.run(command);
                    }
                    result.stdout.addAll(task.stdout);
                    result.environments.put(task.globalId, task.process.environment());
                    result.mountNamespaces.computeIfAbsent(part.node.name(), k -> new ArrayList<>())
                            .add(task.process.namespace(NamespaceKind.MNT));
                } else if (task.end == SimulatedTask.End.FAILED) {
                    task.exitCode = 1;
                } else {
                    task.exitCode = 137;
                }
                result.exit = Math.max(result.exit, task.exitCode);
            }
        }
        return result;
    }

    /** The tasks exit and the step ends on every node: what that shows (cleanup, exit codes) goes to {@code result}. */
    void end(StepResult result) {
        cancelAfterNodeFailure(result);
        Map<String, Map<String, Integer>> countsBefore = new TreeMap<>();
        for (NodePart part : parts) {
            countsBefore.put(part.node.name(), new TreeMap<>(part.node.runtime().counts));
            applyRuntimeFaults(part.node);
        }
        for (NodePart part : parts) {
            finish(part, result, tag);
        }
        for (NodePart part : parts) {
            // a dead node's tasks report nothing: srun only learns that the node failed; sbatch reports nothing of
            // the batch step (its status is the job's)
            for (SimulatedTask task : part.dies ? List.<SimulatedTask>of() : part.tasks) {
                if (task.exitCode != 0 && !batchStep) {
                    result.stderr.add("srun: error: " + part.node.name() + ": task " + task.globalId + ": "
                            + (task.end == SimulatedTask.End.KILLED ? "Killed"
                            : task.end == SimulatedTask.End.TERMINATED ? "Terminated"
                            : "Exited with exit code " + task.exitCode));
                }
                result.exit = Math.max(result.exit, task.exitCode);
            }
            part.node.runtime().faults.clear();
            part.node.runtime().fullDisks.clear();
            countDelta(part, countsBefore.get(part.node.name()), result);
        }
    }

    /**
     * A node of the step died: Slurm declares it down and cancels the step on the other nodes, whose tasks end with
     * SIGTERM (status 143) and whose slurmstepd then ends the step as usual.
     */
    private void cancelAfterNodeFailure(StepResult result) {
        List<NodePart> dead = parts.stream().filter(part -> part.dies).toList();
        if (dead.isEmpty()) {
            return;
        }
        for (NodePart part : dead) {
            part.node.step(tag);
            part.node.crash();
            result.stderr.add("srun: error: Node failure on " + part.node.name());
        }
        for (NodePart part : parts) {
            if (part.dies) {
                continue;
            }
            for (SimulatedTask task : part.tasks) {
                if (task.end == SimulatedTask.End.EXEC) {
                    task.end = SimulatedTask.End.TERMINATED;
                    task.exitCode = 143;
                }
            }
        }
    }

    private static void countDelta(NodePart part, Map<String, Integer> before, StepResult result) {
        part.node.runtime().counts.forEach((k, v) -> {
            int delta = v - before.getOrDefault(k, 0);
            if (delta != 0) {
                result.counts.merge(k, delta, Integer::sum);
            }
        });
    }

    /** Runs a batch script's body in the batch step's one task. */
    interface BatchBody {
        void run(SimulatedTask task);
    }

    private void applyRuntimeFaults(SimulatedNode node) {
        for (Fault fault : faults) {
            if (fault.node() != null && !fault.node().equals(node.name())) {
                continue;
            }
            switch (fault.kind()) {
                case IMPORT_FAILS -> node.runtime().faults.add(SimulatedRuntime.Fault.IMPORT_FAILS);
                case CREATE_FAILS -> node.runtime().faults.add(SimulatedRuntime.Fault.CREATE_FAILS);
                case START_FAILS -> node.runtime().faults.add(SimulatedRuntime.Fault.START_FAILS);
                case DISK_FULL -> node.runtime().faults.add(SimulatedRuntime.Fault.DISK_FULL);
                case CACHE_DISK_FULL -> dev.jpyxis.domain.config.PluginConfig.parse(pluginArguments).imageCache()
                        .ifPresent(node.runtime().fullDisks::add);
                default -> { }
            }
        }
    }

    /**
     * slurmstepd's init_post_opt and user_init on one node, through the domain's in-port as the engine calls it. As the
     * shim, slurmstepd starts an engine only when a container option or a {@code PYXIS_CONTAINER_*} variable is there.
     */
    private void prepare(NodePart part, StepIdentity identity, List<OptionUse> uses, Environment jobEnvironment,
            UserInit userInit, StepResult result, String tag) {
        SimulatedNode node = part.node;
        node.step(tag);
        if (uses.isEmpty() && jobEnvironment.asMap().keySet().stream()
                .noneMatch(name -> name.startsWith("PYXIS_CONTAINER_"))) {
            return;
        }
        part.engine = node.kernel().spawn(identity.uid(), Environment.empty(), "/");
        node.log(tag, null, TimelineEvent.Kind.ENGINE_STARTED, "engine started as uid " + identity.uid() + " (pid "
                + part.engine.pid() + ")");
        StepOpening opening = new NodeStepService(node.ports(part.engine)).open(new StepLaunch(pluginArguments,
                identity, uses, jobEnvironment, DAEMON_PATH, node.name()),
                (localTask, line) -> part.tasks.get(localTask).show(line, tag));
        report(node, opening.diagnostics(), result, tag);
        if (!(opening instanceof StepOpening.Opened opened)) {
            node.kernel().exit(part.engine, 0);
            part.engine = null;
            if (opening instanceof StepOpening.Refused) {
                failLaunch(part, result);
            }
            return;
        }
        part.containerised = true;
        part.events = opened.events();
        part.heartbeat = part.events::timePassed;
        node.onTick(part.heartbeat);
        report(node, part.events.userInit(userInit).diagnostics(), result, tag);
    }

    /** slurmstepd's init_post_opt failed on the node: its tasks never start. */
    private static void failLaunch(NodePart part, StepResult result) {
        part.launchFailed = true;
        result.stderr.add("srun: error: task launch failed on " + part.node.name() + ": Plugin initialization failed");
    }

    /** Every task's task_init, as events picked at random among those that can happen. */
    private void initTasks(List<NodePart> parts, String tag) {
        List<Event> pending = new ArrayList<>();
        for (NodePart part : parts) {
            for (SimulatedTask task : part.tasks) {
                if (task.end == null) {
                    if (part.containerised) {
                        pending.add(new Event(part, task, null, null));
                    } else {
                        task.end = SimulatedTask.End.EXEC;
                    }
                }
            }
        }
        while (!pending.isEmpty()) {
            Event event = pending.remove(random.nextInt(pending.size()));
            NodePart part = event.part();
            SimulatedTask task = event.task();
            part.node.step(tag);
            List<Delivery> deliveries;
            if (event.plan() == null && event.report() == null) {
                part.node.log(tag, task.globalId, TimelineEvent.Kind.TASK_INIT, "task " + task.globalId
                        + " reached task_init");
                deliveries = part.events.taskArrived(task.localId, task.process.environment());
            } else if (event.report() != null) {
                deliveries = part.events.taskReported(task.localId, event.report().checkpoint(),
                        event.report().outcome());
            } else {
                if (diesBeforeJoining(task, event.plan())) {
                    task.end = SimulatedTask.End.KILLED;
                    part.node.log(tag, task.globalId, TimelineEvent.Kind.TASK_DIED, "task " + task.globalId
                            + " died before joining the container");
                    deliveries = part.events.taskLost(task.localId);
                } else {
                    Optional<SimulatedTask.Report> report = task.execute(event.plan(), tag);
                    if (report.isPresent()) {
                        pending.add(new Event(part, task, null, report.get()));
                    } else if (task.end == SimulatedTask.End.FAILED) {
                        deliveries = part.events.taskLost(task.localId);
                        deliver(pending, part, deliveries);
                    }
                    continue;
                }
            }
            deliver(pending, part, deliveries);
        }
    }

    private boolean diesBeforeJoining(SimulatedTask task, TaskPlan plan) {
        boolean joins = plan.operations().stream()
                .anyMatch(op -> op instanceof dev.jpyxis.domain.plan.TaskOperation.JoinNamespaces);
        return joins && faults.stream().anyMatch(f -> f.kind() == Fault.Kind.TASK_DIES_BEFORE_JOINING
                && f.task() == task.globalId);
    }

    private static void deliver(List<Event> pending, NodePart part, List<Delivery> deliveries) {
        for (Delivery delivery : deliveries) {
            SimulatedTask target = part.tasks.get(delivery.localTask());
            if (target.end == null) {
                pending.add(new Event(part, target, delivery.plan(), null));
            }
        }
    }

    /** task_exit for every task in random order, then the end of slurmstepd on the node. */
    private void finish(NodePart part, StepResult result, String tag) {
        part.node.step(tag);
        if (part.heartbeat != null) {
            part.node.stopTicking(part.heartbeat);
        }
        if (part.dies) {
            return;
        }
        if (part.stepdKilled) {
            part.node.log(tag, null, TimelineEvent.Kind.SLURMSTEPD_KILLED, "slurmstepd was killed: the step never"
                    + " cleaned up");
            part.tasks.forEach(task -> part.node.kernel().exit(task.process, 137));
            if (part.engine != null) {
                part.node.kernel().exit(part.engine, 137);
            }
            return;
        }
        List<SimulatedTask> exiting = new ArrayList<>(part.tasks);
        for (SimulatedTask task : part.tasks) {
            part.node.kernel().exit(task.process, task.exitCode);
        }
        if (part.events != null) {
            while (!exiting.isEmpty()) {
                SimulatedTask task = exiting.remove(random.nextInt(exiting.size()));
                HookOutcome end = part.events.taskExited(task.localId);
                report(part.node, end.diagnostics(), result, tag);
            }
            report(part.node, part.events.stepEnded().diagnostics(), result, tag);
        }
        if (part.engine != null) {
            part.node.kernel().exit(part.engine, 0);
        }
    }

    private static void report(SimulatedNode node, List<Diagnostic> diagnostics, StepResult result, String tag) {
        for (Diagnostic diagnostic : diagnostics) {
            switch (diagnostic.severity()) {
                case ERROR -> result.stderr.add("slurmstepd-" + node.name() + ": error: " + diagnostic.text());
                case USER -> result.stderr.add(diagnostic.text());
                default -> { }
            }
            node.message(tag, null, diagnostic.severity(), diagnostic.severity().name().toLowerCase(java.util.Locale.ROOT)
                    + ": " + diagnostic.text());
        }
    }
}
