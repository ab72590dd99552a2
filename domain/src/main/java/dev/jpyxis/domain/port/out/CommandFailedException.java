package dev.jpyxis.domain.port.out;

import java.util.List;
import java.util.Objects;

/** A runtime or importer command ran and failed; carries its outcome and captured output. */
public final class CommandFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient CommandOutcome outcome;
    private final List<String> log;

    public CommandFailedException(CommandOutcome outcome, List<String> log) {
        super(outcome.toString());
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.log = List.copyOf(log);
    }

    public CommandOutcome outcome() {
        return outcome;
    }

    /** What the command printed (stdout and stderr), line by line. */
    public List<String> log() {
        return log;
    }
}
