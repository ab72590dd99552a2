package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import java.util.List;
import java.util.Objects;

/**
 * The environment and working directory a runtime or importer command runs with, and where the adapter reports the
 * lines pyxis logs around that command.
 */
public record RuntimeInvocation(Environment environment, String workingDirectory, CommandLog log) {

    public RuntimeInvocation {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(log, "log");
    }

    /** An invocation whose adapter lines are dropped. */
    public RuntimeInvocation(Environment environment, String workingDirectory) {
        this(environment, workingDirectory, CommandLog.NONE);
    }

    /** The same invocation, its adapter lines appended to {@code lines}. */
    public RuntimeInvocation reportingTo(List<Diagnostic> lines) {
        return new RuntimeInvocation(environment, workingDirectory, CommandLog.into(lines));
    }
}
