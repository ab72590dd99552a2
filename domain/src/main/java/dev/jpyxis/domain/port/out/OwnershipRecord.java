package dev.jpyxis.domain.port.out;

import java.util.Objects;
import java.util.Optional;

/**
 * That a step created (or is about to create) a container it must remove: a temporary container, removed at step
 * end, or a job-scoped named one, removed by the job epilog.
 *
 * @param temporaryFile a squashfs file the step writes while importing, removed with the container
 */
public record OwnershipRecord(
        String containerName,
        Ownership ownership,
        long jobId,
        long stepId,
        int restartCount,
        String bootId,
        ProcessIdentity owner,
        Optional<String> temporaryFile) {

    public OwnershipRecord {
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(ownership, "ownership");
        Objects.requireNonNull(bootId, "bootId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(temporaryFile, "temporaryFile");
    }

    /** How long the owner is responsible for the container. */
    public enum Ownership {
        /** An unnamed container: its step removes it. */
        STEP,
        /** A named container in {@code container_scope=job}: the job's epilog removes it. */
        JOB
    }
}
