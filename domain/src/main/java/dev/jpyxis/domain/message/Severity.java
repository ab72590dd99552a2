package dev.jpyxis.domain.message;

/**
 * The log level a pyxis message is emitted at, which decides who sees it.
 */
public enum Severity {
    /** {@code slurm_error}: daemon log and the user's stderr, with Slurm's "error:" prefix. */
    ERROR,
    /** {@code slurm_info}: daemon log; the user sees it only with raised debug levels. */
    INFO,
    /** {@code slurm_verbose}. */
    VERBOSE,
    /** {@code slurm_debug}. */
    DEBUG,
    /** {@code slurm_spank_log}: printed verbatim on the user's stderr. */
    USER
}
