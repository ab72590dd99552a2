package dev.jpyxis.domain.client;

import java.util.List;

/** A command line srun, sbatch or salloc refuses before doing anything, with the lines it prints on stderr. */
public final class RefusedCommandLineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> lines;

    public RefusedCommandLineException(List<String> lines) {
        super(String.join("\n", lines));
        this.lines = List.copyOf(lines);
    }

    /** What the client prints, one line each, its name first: {@code srun: unrecognized option '--x'}, ... */
    public List<String> lines() {
        return lines;
    }
}
