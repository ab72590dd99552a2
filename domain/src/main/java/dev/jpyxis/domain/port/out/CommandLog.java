package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.message.Diagnostic;
import java.util.List;

/**
 * Where a runtime or importer adapter reports the lines pyxis logs around its own commands: the command it runs, the
 * start configuration it wrote, a {@code SIGTERM} it forwarded (docs/pyxis-compatibility.md#messages-and-log-levels).
 */
@FunctionalInterface
public interface CommandLog {

    /** Drops every line: for callers that show nothing, such as {@code jpyxis doctor}. */
    CommandLog NONE = line -> { };

    void add(Diagnostic line);

    /** A log that appends to {@code lines}, in order with the caller's own. */
    static CommandLog into(List<Diagnostic> lines) {
        return lines::add;
    }

    /** {@code pyxis: running <what> command: "<argv>"}, verbose, as pyxis logs each runtime command. */
    default void running(String what, List<String> argv) {
        add(Diagnostic.verbose("pyxis: running " + what + " command: \"" + String.join(" ", argv) + "\""));
    }
}
