package dev.jpyxis.domain.internal.option;

import dev.jpyxis.domain.message.Diagnostic;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The container options of a submission or a step, read with pyxis's callbacks and defaults. */
public sealed interface OptionsReading {

    /** Lines to report in either case, in order. */
    List<Diagnostic> diagnostics();

    /** The options, when they were read and enable the plugin. */
    default Optional<ContainerOptions> enabled() {
        return this instanceof Read read && read.options().isEnabled() ? Optional.of(read.options())
                : Optional.empty();
    }

    /** The options are usable; {@code diagnostics} holds warnings. */
    record Read(ContainerOptions options, List<Diagnostic> diagnostics) implements OptionsReading {
        public Read {
            Objects.requireNonNull(options, "options");
            diagnostics = List.copyOf(diagnostics);
        }
    }

    /** An option was rejected with these error lines. */
    record Rejected(List<Diagnostic> diagnostics) implements OptionsReading {
        public Rejected {
            diagnostics = List.copyOf(diagnostics);
        }
    }
}
