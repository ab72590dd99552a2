package dev.jpyxis.domain.internal.option;

import dev.jpyxis.domain.message.PyxisException;
import java.util.List;

/** A container option was rejected; the lines are pyxis's exact error text. */
public final class InvalidOptionException extends PyxisException {

    private static final long serialVersionUID = 1L;

    public InvalidOptionException(String line) {
        super(line);
    }

    public InvalidOptionException(List<String> lines) {
        super(lines);
    }
}
