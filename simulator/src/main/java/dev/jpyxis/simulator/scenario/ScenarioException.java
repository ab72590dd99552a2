package dev.jpyxis.simulator.scenario;

/** A scenario file that cannot be read: the message names the file, the line and what was expected. */
public final class ScenarioException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ScenarioException(String file, int line, String message) {
        super(file + ":" + line + ": " + message);
    }
}
