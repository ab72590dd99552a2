package dev.jpyxis.domain.config;

import java.util.List;
import java.util.Optional;

/**
 * The boolean grammar shared by plugstack keys and {@code PYXIS_CONTAINER_*} variables: exact and
 * case-sensitive, {@code 1 true yes y} and {@code 0 false no n}.
 */
public final class PyxisBoolean {

    /** The words that mean true, in pyxis's order. */
    public static final List<String> TRUE_WORDS = List.of("1", "true", "yes", "y");
    /** The words that mean false, in pyxis's order. */
    public static final List<String> FALSE_WORDS = List.of("0", "false", "no", "n");

    private PyxisBoolean() {
    }

    /** The value, or empty when the text is not one of the eight accepted words. */
    public static Optional<Boolean> parse(String text) {
        if (TRUE_WORDS.contains(text)) {
            return Optional.of(Boolean.TRUE);
        }
        return FALSE_WORDS.contains(text) ? Optional.of(Boolean.FALSE) : Optional.empty();
    }
}
