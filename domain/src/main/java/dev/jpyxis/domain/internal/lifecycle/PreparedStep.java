package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.message.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@code user_init}. Slurm ignores {@code user_init} failures under srun, so a failure is deferred:
 * its lines are logged at once and every task then fails in {@code task_init}.
 */
public sealed interface PreparedStep {

    List<Diagnostic> diagnostics();

    record Ready(StepSetup setup, List<Diagnostic> diagnostics) implements PreparedStep {
        public Ready {
            Objects.requireNonNull(setup, "setup");
            diagnostics = List.copyOf(diagnostics);
        }
    }

    record Deferred(List<Diagnostic> diagnostics) implements PreparedStep {
        public Deferred {
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
