package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.plan.TaskOperation.Checkpoint;
import java.util.List;
import java.util.Optional;

/**
 * The events of one opened step on one node, as Slurm's hooks and the tasks bring them. Each answer says what to log
 * or which plan segments to send to which local task now. Not thread-safe: callers serialise the events, but for
 * {@link #timePassed}.
 */
public interface NodeStepEvents {

    /**
     * {@code user_init}: leftovers of the user's earlier steps go, then the step's container is decided. {@code failed}
     * means the step will fail: Slurm ignores {@code user_init} failures under srun, so every task fails at
     * {@code task_init} instead.
     */
    HookOutcome userInit(UserInit request);

    /** A task reached {@code task_init} with its own environment. */
    List<Delivery> taskArrived(int localTask, Environment taskEnvironment);

    /** A task reports a checkpoint of its plan; {@code outcome} comes with {@link Checkpoint#STARTED} only. */
    List<Delivery> taskReported(int localTask, Checkpoint checkpoint, Optional<StartOutcome> outcome);

    /** A task went away before finishing {@code task_init}. */
    List<Delivery> taskLost(int localTask);

    /** {@code task_exit} for one task; the last one exports ({@code --container-save}) and cleans up. */
    HookOutcome taskExited(int localTask);

    /** The step ends ({@code slurm_spank_exit}, or slurmstepd is gone): whatever the step still owns is removed. */
    HookOutcome stepEnded();

    /**
     * The driver's clock ticked (about every second): a long command of the container's setup may say how it goes,
     * through the {@link dev.jpyxis.domain.port.out.SetupProgress} the step was opened with. May come from any thread
     * at any time, also while another event is being handled, which is when it matters.
     */
    void timePassed();
}
