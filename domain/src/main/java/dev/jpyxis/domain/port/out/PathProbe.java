package dev.jpyxis.domain.port.out;

import java.util.Objects;

/** What looking at a path on the node found. */
public sealed interface PathProbe {

    record Exists() implements PathProbe {
    }

    /** The path or one of its parents does not exist ({@code ENOENT}, {@code ENOTDIR}). */
    record Missing() implements PathProbe {
    }

    /** It could not be looked at for another reason, e.g. permission denied. */
    record Unreadable(String reason) implements PathProbe {
        public Unreadable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static PathProbe exists() {
        return new Exists();
    }

    static PathProbe missing() {
        return new Missing();
    }

    static PathProbe unreadable(String reason) {
        return new Unreadable(reason);
    }
}
