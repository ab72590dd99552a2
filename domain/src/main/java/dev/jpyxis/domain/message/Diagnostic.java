package dev.jpyxis.domain.message;

import java.util.Objects;

/**
 * One line pyxis reports, with the level it is reported at.
 */
public record Diagnostic(Severity severity, String text) {

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(text, "text");
    }

    public static Diagnostic error(String text) {
        return new Diagnostic(Severity.ERROR, text);
    }

    public static Diagnostic info(String text) {
        return new Diagnostic(Severity.INFO, text);
    }

    public static Diagnostic verbose(String text) {
        return new Diagnostic(Severity.VERBOSE, text);
    }

    public static Diagnostic debug(String text) {
        return new Diagnostic(Severity.DEBUG, text);
    }

    public static Diagnostic user(String text) {
        return new Diagnostic(Severity.USER, text);
    }

    @Override
    public String toString() {
        return severity + ": " + text;
    }
}
