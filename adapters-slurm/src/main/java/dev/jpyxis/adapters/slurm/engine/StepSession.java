package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.PlanEncoding;
import dev.jpyxis.domain.config.InvalidConfigurationException;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.env.RuntimeEnvironment;
import dev.jpyxis.domain.lifecycle.Delivery;
import dev.jpyxis.domain.lifecycle.Leftovers;
import dev.jpyxis.domain.lifecycle.NodeStep;
import dev.jpyxis.domain.lifecycle.PreparedStep;
import dev.jpyxis.domain.lifecycle.RemoteOptions;
import dev.jpyxis.domain.lifecycle.RuntimeSupport;
import dev.jpyxis.domain.lifecycle.StepEnd;
import dev.jpyxis.domain.lifecycle.StepPorts;
import dev.jpyxis.domain.lifecycle.StepPreparation;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.option.ContainerOptions;
import dev.jpyxis.domain.plan.TaskOperation.Checkpoint;
import dev.jpyxis.domain.port.in.SubmissionCheck;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.step.StepContext;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One node-step in the engine: answers slurmstepd's requests on the control channel ({@code init}, {@code user_init},
 * {@code task_exit}, {@code exit}) and the tasks' messages, all through one {@link NodeStep}. Every method is called
 * under the session's lock by {@link StepEngine}.
 */
public final class StepSession {

    /** Builds the node's ports once the configuration and the step are known. */
    public interface PortsFactory {
        StepPorts ports(PluginConfig config, StepContext step, ContainerRuntime runtime);
    }

    private final RuntimeProvider runtimes;
    private final PortsFactory portsFactory;

    private PluginConfig config;
    private ContainerOptions options;
    private Message init;
    private ContainerRuntime runtime;
    private StepContext step;
    private NodeStep nodeStep;

    public StepSession(RuntimeProvider runtimes, PortsFactory portsFactory) {
        this.runtimes = runtimes;
        this.portsFactory = portsFactory;
    }

    /**
     * What {@code init} decided: {@code enabled}, {@code disabled} (no container for this step) or {@code error}, the
     * lines to log, and where the user's runtime directory is (the engine's socket goes there).
     */
    public record InitResult(String status, List<Diagnostic> diagnostics, Path runtimeDirectory) {
        public boolean enabled() {
            return status.equals("enabled");
        }
    }

    /** {@code init_post_opt}: configuration, forwarded options and the job environment. */
    public InitResult init(Message request) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        try {
            config = PluginConfig.parse(request.all("config"));
        } catch (InvalidConfigurationException invalid) {
            invalid.lines().forEach(line -> diagnostics.add(Diagnostic.error(line)));
            diagnostics.add(Diagnostic.error("pyxis: failed to parse configuration"));
            return new InitResult("error", diagnostics, null);
        }
        Environment jobEnvironment = Environment.fromEntries(request.all("env"));
        SubmissionCheck check = RemoteOptions.read(OptionFields.uses(request), jobEnvironment);
        diagnostics.addAll(check.diagnostics());
        if (check instanceof SubmissionCheck.Rejected) {
            return new InitResult("error", diagnostics, null);
        }
        Optional<ContainerOptions> enabled = RemoteOptions.enabled(check);
        if (enabled.isEmpty()) {
            return new InitResult("disabled", diagnostics, null);
        }
        List<String> refused = RuntimeSupport.refusals(enabled.get(), config, runtimes.traits(config));
        if (!refused.isEmpty()) {
            refused.forEach(line -> diagnostics.add(Diagnostic.error(line)));
            return new InitResult("error", diagnostics, null);
        }
        options = enabled.get();
        init = request;
        runtime = runtimes.runtime(config, request.require("daemon_path"));
        return new InitResult("enabled", diagnostics, Path.of(config.runtimePath(), request.require("uid")));
    }

    /** {@code user_init}: leftovers, then the step's decisions; a failure is logged now and deferred. */
    public Message userInit(Message request) {
        Environment jobEnvironment = Environment.fromEntries(request.all("env"));
        long stepId = init.requireLong("step");
        step = new StepContext(init.requireLong("uid"), init.requireLong("gid"),
                init.all("gids").stream().map(Long::parseLong).toList(), init.requireLong("job"), stepId,
                (int) init.requireLong("local_tasks"), (int) init.requireLong("total_tasks"),
                (int) init.requireLong("restarts"), jobEnvironment, request.get("cwd").orElse("/"),
                stepId == StepContext.BATCH_STEP ? request.get("argv0") : Optional.empty());
        StepPorts ports = portsFactory.ports(config, step, runtime);
        String daemonPath = init.require("daemon_path");
        RuntimeInvocation invocation = new RuntimeInvocation(RuntimeEnvironment.build(daemonPath, jobEnvironment,
                runtime.traits().protectedVariables(), step.uid(), step.gid(), config.runtimePath()),
                step.workingDirectory());
        List<Diagnostic> diagnostics = new ArrayList<>(
                new Leftovers(runtime, ports.ledger(), ports.files()).removeLeftovers(step, invocation));
        PreparedStep prepared = new StepPreparation(config, runtime).prepare(step, options, invocation);
        diagnostics.addAll(prepared.diagnostics());
        nodeStep = new NodeStep(step, config, ports, daemonPath, prepared);
        return answer("user_init", prepared instanceof PreparedStep.Ready ? "ok" : "deferred", diagnostics);
    }

    /** A task's {@code task_init} request. */
    public void taskArrived(Message request, BiConsumer<Integer, Message> send) {
        if (nodeStep == null) {
            int task = (int) request.requireLong("task");
            send.accept(task, PlanEncoding.encode(dev.jpyxis.domain.plan.TaskPlan.fail(List.of(
                    "pyxis: the engine got no user_init for this step"))));
            return;
        }
        deliver(nodeStep.taskArrived((int) request.requireLong("task"),
                Environment.fromEntries(request.all("env"))), send);
    }

    public void taskReported(int task, Message report, BiConsumer<Integer, Message> send) {
        Checkpoint checkpoint = PlanEncoding.checkpoint(report);
        deliver(nodeStep.taskReported(task, checkpoint, PlanEncoding.startOutcome(report)), send);
    }

    public void taskLost(int task, BiConsumer<Integer, Message> send) {
        if (nodeStep != null) {
            deliver(nodeStep.taskLost(task), send);
        }
    }

    public Message taskExited(Message request) {
        if (nodeStep == null) {
            return answer("task_exit", "ok", List.of());
        }
        StepEnd end = nodeStep.taskExited((int) request.requireLong("task"));
        return answer("task_exit", end.failed() ? "failed" : "ok", end.diagnostics());
    }

    /** The step ends, or slurmstepd is gone: whatever the step still owns is removed. */
    public Message exit() {
        if (nodeStep == null) {
            return answer("exit", "ok", List.of());
        }
        StepEnd end = nodeStep.stepEnded();
        return answer("exit", "ok", end.diagnostics());
    }

    private static void deliver(List<Delivery> deliveries, BiConsumer<Integer, Message> send) {
        for (Delivery delivery : deliveries) {
            send.accept(delivery.localTask(), PlanEncoding.encode(delivery.plan()));
        }
    }

    private static Message answer(String type, String status, List<Diagnostic> diagnostics) {
        return PlanEncoding.addLogs(Message.builder(type).add("status", status), diagnostics).build();
    }
}
