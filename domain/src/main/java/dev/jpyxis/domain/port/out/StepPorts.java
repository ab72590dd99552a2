package dev.jpyxis.domain.port.out;

import java.util.Objects;
import java.util.Optional;

/** The outside world as one node-step sees it. */
public record StepPorts(
        ContainerRuntime runtime,
        Optional<ImageImporter> importer,
        ContainerProcesses processes,
        NodeFiles files,
        StepLedger ledger,
        MonotonicClock clock) {

    public StepPorts {
        Objects.requireNonNull(runtime, "runtime");
        Objects.requireNonNull(importer, "importer");
        Objects.requireNonNull(processes, "processes");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(clock, "clock");
    }
}
