package dev.jpyxis.domain.option;

/**
 * Whether an option takes an argument, with the {@code has_arg} value getopt_long and SPANK use for it.
 */
public enum ArgumentKind {
    NONE(0),
    REQUIRED(1),
    /** Only as {@code --name=value} (or attached to a short option); none of pyxis's options is of this kind. */
    OPTIONAL(2);

    private final int spankHasArg;

    ArgumentKind(int spankHasArg) {
        this.spankHasArg = spankHasArg;
    }

    public int spankHasArg() {
        return spankHasArg;
    }
}
