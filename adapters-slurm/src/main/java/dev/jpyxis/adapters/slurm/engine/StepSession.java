package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.adapters.slurm.protocol.PlanEncoding;
import dev.jpyxis.adapters.slurm.protocol.ProtocolException;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.in.Delivery;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.in.NodeStepEvents;
import dev.jpyxis.domain.port.in.RunNodeStep;
import dev.jpyxis.domain.port.in.StepIdentity;
import dev.jpyxis.domain.port.in.StepLaunch;
import dev.jpyxis.domain.port.in.StepOpening;
import dev.jpyxis.domain.port.in.UserInit;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One node-step in the engine: translates slurmstepd's requests on the control channel ({@code init},
 * {@code user_init}, {@code task_exit}, {@code exit}) and the tasks' messages into the domain's {@link RunNodeStep}
 * and its {@link NodeStepEvents}, and their answers back into messages. Every method is called under the session's
 * lock by {@link StepEngine}.
 */
public final class StepSession {

    private final RunNodeStep runNodeStep;
    /** Set by init under the engine's lock; read by {@link #tick} from the heartbeat's thread. */
    private volatile NodeStepEvents events;
    private int localTasks;
    private int exitedTasks;

    public StepSession(RunNodeStep runNodeStep) {
        this.runNodeStep = runNodeStep;
    }

    /**
     * The answer to {@code init}, and where the user's runtime directory is when the step has a container (the
     * engine's task socket goes there).
     */
    public record InitAnswer(Message answer, Optional<Path> runtimeDirectory) {
    }

    /**
     * {@code init_post_opt}: configuration, forwarded options and the job environment.
     *
     * @param progress sends a task that waits for its plan a keep-alive whose log lines the shim shows at once
     */
    public InitAnswer init(Message request, BiConsumer<Integer, Message> progress) {
        MessageCodec.requireProtocol(request);
        StepIdentity identity = new StepIdentity(request.requireLong("uid"), request.requireLong("gid"),
                request.all("gids").stream().map(Long::parseLong).toList(), request.requireLong("job"),
                request.requireLong("step"), (int) request.requireLong("local_tasks"),
                (int) request.requireLong("total_tasks"), (int) request.requireLong("restarts"));
        StepOpening opening = runNodeStep.open(new StepLaunch(request.all("config"), identity,
                OptionFields.uses(request), Environment.fromEntries(request.all("env")),
                request.require("daemon_path"), request.require("node")),
                (task, line) -> progress.accept(task, PlanEncoding.addLogs(Message.builder("alive"), List.of(line))
                        .build()));
        if (opening instanceof StepOpening.Opened opened) {
            events = opened.events();
            localTasks = identity.localTasks();
            return new InitAnswer(answer("init", "enabled", opening.diagnostics()),
                    Optional.of(Path.of(opened.userRuntimeDirectory())));
        }
        String status = opening instanceof StepOpening.Refused ? "error" : "disabled";
        return new InitAnswer(answer("init", status, opening.diagnostics()), Optional.empty());
    }

    /** {@code user_init}: leftovers, then the step's decisions; a failure is logged now and deferred. */
    public Message userInit(Message request) {
        HookOutcome outcome = opened().userInit(new UserInit(Environment.fromEntries(request.all("env")),
                request.get("cwd").orElse("/"), request.get("argv0")));
        return answer("user_init", outcome.failed() ? "deferred" : "ok", outcome.diagnostics());
    }

    /** A task's {@code task_init} request. */
    public void taskArrived(Message request, BiConsumer<Integer, Message> send) {
        deliver(opened().taskArrived((int) request.requireLong("task"), Environment.fromEntries(request.all("env"))),
                send);
    }

    public void taskReported(int task, Message report, BiConsumer<Integer, Message> send) {
        deliver(opened().taskReported(task, PlanEncoding.checkpoint(report), PlanEncoding.startOutcome(report)), send);
    }

    public void taskLost(int task, BiConsumer<Integer, Message> send) {
        deliver(opened().taskLost(task), send);
    }

    public Message taskExited(Message request) {
        HookOutcome end = opened().taskExited((int) request.requireLong("task"));
        exitedTasks++;
        return answer("task_exit", end.failed() ? "failed" : "ok", end.diagnostics());
    }

    /** Whether slurmstepd said every local task exited: no task connects any more. */
    public boolean everyTaskExited() {
        return events != null && exitedTasks >= localTasks;
    }

    /** The step ends, or slurmstepd is gone: whatever the step still owns is removed. */
    public Message exit() {
        HookOutcome end = events == null ? HookOutcome.nothing() : events.stepEnded();
        return answer("exit", "ok", end.diagnostics());
    }

    /** The heartbeat ticked: called outside the engine's lock, also while another event is being handled. */
    public void tick() {
        NodeStepEvents opened = events;
        if (opened != null) {
            opened.timePassed();
        }
    }

    private NodeStepEvents opened() {
        if (events == null) {
            throw new ProtocolException("no step with a container was opened");
        }
        return events;
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
