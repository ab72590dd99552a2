package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.message.Diagnostic;
import java.util.List;

/**
 * What a hook reports back to Slurm: lines to log and whether the hook fails. For {@code task_exit} and the step's end
 * only an export failure fails; for the job epilog, a container left behind (which drains the node).
 */
public record HookOutcome(List<Diagnostic> diagnostics, boolean failed) {

    public HookOutcome {
        diagnostics = List.copyOf(diagnostics);
    }

    public static HookOutcome nothing() {
        return new HookOutcome(List.of(), false);
    }
}
