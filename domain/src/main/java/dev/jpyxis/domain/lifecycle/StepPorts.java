package dev.jpyxis.domain.lifecycle;

import dev.jpyxis.domain.port.out.ContainerProcesses;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.ImageImporter;
import dev.jpyxis.domain.port.out.MonotonicClock;
import dev.jpyxis.domain.port.out.NodeFiles;
import dev.jpyxis.domain.port.out.StepLedger;
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
