package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.message.Diagnostic;
import java.util.List;

/** The outcome of {@link ValidateSubmission}. */
public sealed interface SubmissionCheck {

    /** Lines to report in either case, in order. */
    List<Diagnostic> diagnostics();

    /**
     * The options are usable; {@code diagnostics} holds warnings (ignored defaults, ignored options).
     *
     * @param normalizedOptions the options in effect, one {@code --container-...} argument each, in a fixed order
     */
    record Accepted(List<String> normalizedOptions, List<Diagnostic> diagnostics) implements SubmissionCheck {
        public Accepted {
            normalizedOptions = List.copyOf(normalizedOptions);
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
