package dev.jpyxis.domain.config;

import dev.jpyxis.domain.message.PyxisException;

/** A plugstack argument was rejected; the line is pyxis's exact error text. */
public final class InvalidConfigurationException extends PyxisException {

    private static final long serialVersionUID = 1L;

    public InvalidConfigurationException(String line) {
        super(line);
    }
}
