package dev.jpyxis.domain.lifecycle;

import dev.jpyxis.domain.message.Diagnostic;
import java.util.List;

/**
 * What {@code task_exit} (or the end of the step) reports: lines to log in slurmstepd and whether the hook fails,
 * which only an export failure does.
 */
public record StepEnd(List<Diagnostic> diagnostics, boolean failed) {

    public StepEnd {
        diagnostics = List.copyOf(diagnostics);
    }

    public static StepEnd nothing() {
        return new StepEnd(List.of(), false);
    }
}
