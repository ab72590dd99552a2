package dev.jpyxis.domain.port.in;

import java.util.List;
import java.util.Objects;

/** How the start of the container's first process ended, as the setup task reports it. */
public sealed interface StartOutcome {

    /** What the runtime printed while starting. */
    List<String> log();

    /** The process stopped itself: the container is in place. */
    record Stopped(long pid, List<String> log) implements StartOutcome {
        public Stopped {
            log = List.copyOf(log);
        }
    }

    /**
     * The process stopped itself, but a mount jpyxis makes in the container failed ({@code reason}: the operation's
     * failure text and the system's reason); the process is still stopped.
     */
    record Unprepared(long pid, String reason, List<String> log) implements StartOutcome {
        public Unprepared {
            Objects.requireNonNull(reason, "reason");
            log = List.copyOf(log);
        }
    }

    record Exited(int code, List<String> log) implements StartOutcome {
        public Exited {
            log = List.copyOf(log);
        }
    }

    record Killed(int signal, List<String> log) implements StartOutcome {
        public Killed {
            log = List.copyOf(log);
        }
    }

    /** The process could not be created ({@code fork} or {@code exec} failed). */
    record NotStarted(String reason, List<String> log) implements StartOutcome {
        public NotStarted {
            Objects.requireNonNull(reason, "reason");
            log = List.copyOf(log);
        }
    }

    /** Waiting for the process failed. */
    record WaitFailed(String reason, List<String> log) implements StartOutcome {
        public WaitFailed {
            Objects.requireNonNull(reason, "reason");
            log = List.copyOf(log);
        }
    }
}
