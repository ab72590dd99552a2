package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.message.Diagnostic;
import java.util.List;
import java.util.Objects;

/** What {@link RunNodeStep#open} decided for a step on one node. */
public sealed interface StepOpening {

    /** Lines to log in slurmstepd, in order. */
    List<Diagnostic> diagnostics();

    /** The step asks for no container: the plugin stays out of it. */
    record WithoutContainer(List<Diagnostic> diagnostics) implements StepOpening {
        public WithoutContainer {
            diagnostics = List.copyOf(diagnostics);
        }
    }

    /** The configuration or an option cannot be honoured: {@code init_post_opt} fails and no task starts. */
    record Refused(List<Diagnostic> diagnostics) implements StepOpening {
        public Refused {
            diagnostics = List.copyOf(diagnostics);
        }
    }

    /**
     * The step runs in a container; its events go to {@code events}.
     *
     * @param userRuntimeDirectory {@code <runtime_path>/<uid>}: the user's private directory on the node
     */
    record Opened(NodeStepEvents events, String userRuntimeDirectory, List<Diagnostic> diagnostics)
            implements StepOpening {
        public Opened {
            Objects.requireNonNull(events, "events");
            Objects.requireNonNull(userRuntimeDirectory, "userRuntimeDirectory");
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
