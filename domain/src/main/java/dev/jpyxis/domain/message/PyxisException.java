package dev.jpyxis.domain.message;

import java.util.List;

/**
 * A failure whose user-visible report is one or more {@code pyxis:} lines, in order.
 */
public class PyxisException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> lines;

    public PyxisException(String line) {
        this(List.of(line));
    }

    public PyxisException(List<String> lines) {
        super(String.join("\n", lines));
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("a failure needs at least one line");
        }
        this.lines = List.copyOf(lines);
    }

    /** The lines to report, each a complete message starting with {@code pyxis: }. */
    public List<String> lines() {
        return lines;
    }
}
