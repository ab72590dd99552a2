package dev.jpyxis.domain.option;

/**
 * A boolean option that may also be left unset, in which case the runtime's own
 * configuration (or a plugstack default) decides.
 */
public enum TriState {
    UNSET,
    FALSE,
    TRUE;

    public static TriState of(boolean value) {
        return value ? TRUE : FALSE;
    }

    public boolean isSet() {
        return this != UNSET;
    }

    /** The value, or {@code fallback} when unset. */
    public boolean orElse(boolean fallback) {
        return this == UNSET ? fallback : this == TRUE;
    }
}
