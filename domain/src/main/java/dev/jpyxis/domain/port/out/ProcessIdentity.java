package dev.jpyxis.domain.port.out;

/** A process, told apart from a later one with a recycled pid by its start time. */
public record ProcessIdentity(long pid, long startTime) {

    // Written out: a record's generated equals and hashCode are bootstrapped through invokedynamic on first use, which
    // spins about twenty method handle classes in the step engine as it ends the step (docs/performance.md).
    @Override
    public boolean equals(Object other) {
        return other instanceof ProcessIdentity process && pid == process.pid && startTime == process.startTime;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(pid) * 31 + Long.hashCode(startTime);
    }
}
