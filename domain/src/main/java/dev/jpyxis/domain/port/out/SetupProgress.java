package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.message.Diagnostic;

/**
 * The user's terminal while a step's container is set up: a line shown at once, by the local task that sets the
 * container up, while that task still waits for its plan (docs/troubleshooting.md#progress-of-an-import).
 */
@FunctionalInterface
public interface SetupProgress {

    /** Shows nothing: for drivers without a terminal. */
    SetupProgress NONE = (localTask, line) -> { };

    void show(int localTask, Diagnostic line);
}
