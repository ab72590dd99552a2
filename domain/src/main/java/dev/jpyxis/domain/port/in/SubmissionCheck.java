package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.option.ContainerOptions;
import java.util.List;

/** The outcome of {@link ValidateSubmission}. */
public sealed interface SubmissionCheck {

    /** Lines to report in either case, in order. */
    List<Diagnostic> diagnostics();

    /** The options are usable; {@code diagnostics} holds warnings (ignored defaults, ignored options). */
    record Accepted(ContainerOptions options, List<Diagnostic> diagnostics) implements SubmissionCheck {
        public Accepted {
            diagnostics = List.copyOf(diagnostics);
        }
    }

    /** An option was rejected: the submission must fail with these error lines. */
    record Rejected(List<Diagnostic> diagnostics) implements SubmissionCheck {
        public Rejected {
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
