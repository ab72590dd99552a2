package dev.jpyxis.domain.internal.step;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.in.StepIdentity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What Slurm tells the plugin about a step on one node: identities, ids, task counts, the job environment and the
 * directories that matter. Collected in slurmstepd before the tasks start.
 *
 * @param workingDirectory the job's working directory on the node (the cwd of its tasks)
 * @param batchScript      the batch script's path, for the batch step
 * @param restartCount     how often the job was requeued (Slurm's restart count)
 */
public record StepContext(
        long uid,
        long gid,
        List<Long> supplementaryGids,
        long jobId,
        long stepId,
        int localTaskCount,
        int totalTaskCount,
        int restartCount,
        Environment jobEnvironment,
        String workingDirectory,
        Optional<String> batchScript) {

    /** Pyxis reads {@code ENROOT_ALLOW_SUPERUSER} into a 6-byte buffer: longer values count as absent. */
    private static final int ALLOW_SUPERUSER_MAX_LENGTH = 5;
    /** The size of pyxis's buffer for the job's {@code PWD}. */
    private static final int PATH_MAX = 4096;

    public StepContext {
        supplementaryGids = List.copyOf(supplementaryGids);
        Objects.requireNonNull(jobEnvironment, "jobEnvironment");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(batchScript, "batchScript");
        if (localTaskCount < 1) {
            throw new IllegalArgumentException("a step has at least one local task");
        }
    }

    public boolean isBatchStep() {
        return stepId == StepIdentity.BATCH_STEP;
    }

    /** {@code <J>.<S>}, as in unnamed container names and temporary file names. */
    public String stepTag() {
        return jobId + "." + stepId;
    }

    /**
     * The job's {@code PWD}, used to make a relative {@code --container-save} path absolute; pyxis reads it into a
     * buffer of 4096 bytes, so a longer one counts as unset.
     */
    public Optional<String> jobCwd() {
        return jobCwd(jobEnvironment);
    }

    /** {@link #jobCwd()} of a job environment. */
    public static Optional<String> jobCwd(Environment jobEnvironment) {
        return jobEnvironment.get("PWD").filter(pwd -> pwd.getBytes(StandardCharsets.UTF_8).length < PATH_MAX);
    }

    /**
     * pyxis's info line when the job has no usable {@code PWD}, with Slurm's reason (upstream
     * {@code pyxis_slurmstepd.c:208}); empty when it has one.
     */
    public static Optional<String> jobCwdProblem(Environment jobEnvironment) {
        if (jobCwd(jobEnvironment).isPresent()) {
            return Optional.empty();
        }
        return Optional.of("pyxis: couldn't get job cwd path: " + (jobEnvironment.contains("PWD")
                ? "Buffer too small" : "No such environment variable"));
    }

    /**
     * Root running with {@code ENROOT_ALLOW_SUPERUSER} set to anything but no/false/n/f keeps its privileges: no user
     * namespace join and no seccomp filter.
     */
    public boolean privileged() {
        if (uid != 0) {
            return false;
        }
        Optional<String> allow = jobEnvironment.get("ENROOT_ALLOW_SUPERUSER");
        if (allow.isEmpty() || allow.get().length() > ALLOW_SUPERUSER_MAX_LENGTH) {
            return false;
        }
        return switch (allow.get().toLowerCase(Locale.ROOT)) {
            case "no", "false", "n", "f" -> false;
            default -> true;
        };
    }
}
