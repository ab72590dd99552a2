package dev.jpyxis.domain.port.out;

import java.util.Objects;
import java.util.Optional;

/**
 * The outside world as one node-step sees it.
 *
 * @param imageCache the user's image cache on the node; empty when {@code image_cache} is empty
 * @param digests    how the cache learns which content an image reference names now
 * @param writes     how much the step's commands have written, for the progress of a long import
 */
public record StepPorts(
        ContainerRuntime runtime,
        Optional<ImageImporter> importer,
        ContainerProcesses processes,
        NodeFiles files,
        StepLedger ledger,
        MonotonicClock clock,
        Optional<ImageCache> imageCache,
        ImageDigests digests,
        CommandWrites writes) {

    public StepPorts {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(importer, "importer");
        Objects.requireNonNull(processes, "processes");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(imageCache, "imageCache");
        Objects.requireNonNull(digests, "digests");
        Objects.requireNonNull(writes, "writes");
    }

    /** The ports of a node without an image cache. */
    public StepPorts(ContainerRuntime runtime, Optional<ImageImporter> importer, ContainerProcesses processes,
            NodeFiles files, StepLedger ledger, MonotonicClock clock) {
        this(runtime, importer, processes, files, ledger, clock, Optional.empty(), ImageDigests.NONE,
                CommandWrites.NONE);
    }
}
