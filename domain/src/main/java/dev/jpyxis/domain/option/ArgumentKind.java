package dev.jpyxis.domain.option;

/**
 * Whether an option takes an argument, with the {@code has_arg} value SPANK registers for it.
 */
public enum ArgumentKind {
    NONE(0),
    REQUIRED(1);

    private final int spankHasArg;

    ArgumentKind(int spankHasArg) {
        this.spankHasArg = spankHasArg;
    }

    public int spankHasArg() {
        return spankHasArg;
    }
}
