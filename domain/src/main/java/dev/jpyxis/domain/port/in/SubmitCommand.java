package dev.jpyxis.domain.port.in;

/** The Slurm client a submission comes from. */
public enum SubmitCommand {
    SRUN("srun"),
    SBATCH("sbatch"),
    SALLOC("salloc");

    private final String command;

    SubmitCommand(String command) {
        this.command = command;
    }

    public String command() {
        return command;
    }

    /** sbatch and salloc are Slurm's "allocator" context, where {@code sbatch_support} decides. */
    public boolean isAllocator() {
        return this != SRUN;
    }
}
