package dev.jpyxis.domain.port.out;

/** A clock that only moves forward, for measuring how long container setup took. */
@FunctionalInterface
public interface MonotonicClock {
    long nanos();
}
