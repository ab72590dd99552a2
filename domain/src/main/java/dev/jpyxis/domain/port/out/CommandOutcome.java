package dev.jpyxis.domain.port.out;

import java.util.Objects;

/** How a failed command ended. */
public sealed interface CommandOutcome {

    /** The line pyxis logs for it. */
    String line();

    record Exited(long pid, int code) implements CommandOutcome {
        @Override
        public String line() {
            return "pyxis: child " + pid + " failed with error code: " + code;
        }
    }

    record Signaled(long pid, int signal) implements CommandOutcome {
        @Override
        public String line() {
            return "pyxis: child " + pid + " terminated with signal " + signal;
        }
    }

    /** The command could not be started at all. */
    record NotStarted(String reason) implements CommandOutcome {
        public NotStarted {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String line() {
            return "pyxis: fork error: " + reason;
        }
    }

    /** The adapter refused to run the command, e.g. because its target already exists. */
    record Refused(String reason) implements CommandOutcome {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String line() {
            return "pyxis: " + reason;
        }
    }
}
