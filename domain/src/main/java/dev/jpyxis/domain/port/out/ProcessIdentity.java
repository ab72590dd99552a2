package dev.jpyxis.domain.port.out;

/** A process, told apart from a later one with a recycled pid by its start time. */
public record ProcessIdentity(long pid, long startTime) {
}
