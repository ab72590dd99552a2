package dev.jpyxis.domain.internal.common;

import java.util.Optional;

/**
 * The boolean grammar shared by plugstack keys and {@code PYXIS_CONTAINER_*} variables: exact and
 * case-sensitive, {@code 1 true yes y} and {@code 0 false no n}.
 */
public final class PyxisBoolean {

    private PyxisBoolean() {
    }

    /** The value, or empty when the text is not one of the eight accepted words. */
    public static Optional<Boolean> parse(String text) {
        return switch (text) {
            case "1", "true", "yes", "y" -> Optional.of(Boolean.TRUE);
            case "0", "false", "no", "n" -> Optional.of(Boolean.FALSE);
            default -> Optional.empty();
        };
    }
}
