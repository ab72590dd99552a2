package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.out.StepPorts;

import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import java.util.List;

/** Calls {@code importer release}, which must be idempotent; its failure is only worth an informational line. */
final class ImporterRelease {

    private ImporterRelease() {
    }

    static void release(StepPorts ports, RuntimeInvocation invocation, List<Diagnostic> diagnostics,
            String failureLine) {
        if (ports.importer().isEmpty()) {
            return;
        }
        try {
            ports.importer().get().release(invocation);
        } catch (CommandFailedException failed) {
            diagnostics.add(Diagnostic.info(failureLine));
        }
    }
}
