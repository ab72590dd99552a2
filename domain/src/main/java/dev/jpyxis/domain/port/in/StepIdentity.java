package dev.jpyxis.domain.port.in;

import java.util.List;

/**
 * Who and what a step is on one node, as slurmstepd knows it at {@code init_post_opt}: the job user's ids, the job and
 * step ids, and the task counts.
 *
 * @param localTasks the step's tasks on this node
 * @param totalTasks the step's tasks on all nodes
 * @param restarts   how often the job was requeued (Slurm's restart count)
 */
public record StepIdentity(long uid, long gid, List<Long> supplementaryGids, long jobId, long stepId, int localTasks,
        int totalTasks, int restarts) {

    /** Slurm's step id of the batch step ({@code SLURM_BATCH_SCRIPT}, 0xfffffffb). */
    public static final long BATCH_STEP = 4294967291L;

    public StepIdentity {
        supplementaryGids = List.copyOf(supplementaryGids);
        if (localTasks < 1) {
            throw new IllegalArgumentException("a step has at least one local task");
        }
    }

    public boolean isBatchStep() {
        return stepId == BATCH_STEP;
    }
}
