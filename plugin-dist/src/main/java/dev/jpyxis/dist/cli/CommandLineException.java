package dev.jpyxis.dist.cli;

/** A command line the tool cannot read; the message is shown after the program name. */
final class CommandLineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CommandLineException(String message) {
        super(message);
    }
}
