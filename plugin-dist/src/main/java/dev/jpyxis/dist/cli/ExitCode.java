package dev.jpyxis.dist.cli;

/** The exit statuses of the {@code jpyxis} command. */
final class ExitCode {

    static final int OK = 0;
    /** A container option was rejected; for {@code simulate}, an expectation failed. */
    static final int REJECTED = 1;
    /** The {@code --config} text is not a valid plugstack configuration. */
    static final int BAD_CONFIG = 2;
    /** A scenario file of {@code simulate} cannot be read or is malformed. */
    static final int BAD_SCENARIO = 2;
    /** The command line of {@code jpyxis} itself is wrong (sysexits' EX_USAGE). */
    static final int USAGE = 64;

    private ExitCode() {
    }
}
