package dev.jpyxis.domain.port.out;

import java.util.Objects;
import java.util.Optional;

/**
 * That a step created (or is about to create) a container it must remove: a temporary container, removed at step
 * end, or a job-scoped named one, removed by the job epilog.
 *
 * @param temporaryFile a squashfs file the step writes while importing, removed with the container
 * @param startedInPlace a temporary container started in place from its image's squashfs file: no runtime lists
 *                       such a container, so the record does (docs/runtimes.md#images-started-in-place)
 */
public record OwnershipRecord(
        String containerName,
        Ownership ownership,
        long jobId,
        long stepId,
        int restartCount,
        String bootId,
        ProcessIdentity owner,
        Optional<String> temporaryFile,
        Optional<InPlace> startedInPlace) {

    public OwnershipRecord(String containerName, Ownership ownership, long jobId, long stepId, int restartCount,
            String bootId, ProcessIdentity owner, Optional<String> temporaryFile) {
        this(containerName, ownership, jobId, stepId, restartCount, bootId, owner, temporaryFile, Optional.empty());
    }

    /** This record, for a container that now runs in place. */
    public OwnershipRecord inPlace(InPlace container) {
        return new OwnershipRecord(containerName, ownership, jobId, stepId, restartCount, bootId, owner, temporaryFile,
                Optional.of(container));
    }

    /** A container running in place: its first process, and the squashfs file it started from. */
    public record InPlace(ProcessIdentity firstProcess, String image) {
        public InPlace {
            Objects.requireNonNull(firstProcess, "firstProcess");
            Objects.requireNonNull(image, "image");
        }
    }

    public OwnershipRecord {
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(ownership, "ownership");
        Objects.requireNonNull(bootId, "bootId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(temporaryFile, "temporaryFile");
        Objects.requireNonNull(startedInPlace, "startedInPlace");
    }

    /** How long the owner is responsible for the container. */
    public enum Ownership {
        /** An unnamed container: its step removes it. */
        STEP,
        /** A named container in {@code container_scope=job}: the job's epilog removes it. */
        JOB
    }
}
