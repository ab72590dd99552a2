package dev.jpyxis.domain.service;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.plan.TaskOperation.Checkpoint;
import dev.jpyxis.domain.plan.TaskPlan;
import dev.jpyxis.domain.port.in.Delivery;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.in.NodeStepEvents;
import dev.jpyxis.domain.port.in.StartOutcome;
import dev.jpyxis.domain.port.in.UserInit;
import java.util.List;
import java.util.Optional;

/**
 * A step whose container options slurmstepd refuses. The client normally refuses them first; when it could not check
 * them (a submit host without a JVM), slurmstepd's {@code init_post_opt} would fail before the user's terminal is
 * connected, so the user would see only Slurm's "Plugin initialization failed". The refusal is deferred instead, as a
 * failed {@code user_init} is: logged again at {@code user_init}, where the user sees it, and every task fails.
 */
final class RefusedNodeStep implements NodeStepEvents {

    private final List<Diagnostic> refusal;

    RefusedNodeStep(List<Diagnostic> refusal) {
        this.refusal = List.copyOf(refusal);
    }

    @Override
    public HookOutcome userInit(UserInit request) {
        return new HookOutcome(refusal, true);
    }

    @Override
    public List<Delivery> taskArrived(int localTask, Environment taskEnvironment) {
        return List.of(new Delivery(localTask, TaskPlan.fail(List.of())));
    }

    @Override
    public List<Delivery> taskReported(int localTask, Checkpoint checkpoint, Optional<StartOutcome> outcome) {
        return List.of();
    }

    @Override
    public List<Delivery> taskLost(int localTask) {
        return List.of();
    }

    @Override
    public HookOutcome taskExited(int localTask) {
        return HookOutcome.nothing();
    }

    @Override
    public HookOutcome stepEnded() {
        return HookOutcome.nothing();
    }

    /** Nothing is set up, so nothing to tell. */
    @Override
    public void timePassed() {
    }
}
