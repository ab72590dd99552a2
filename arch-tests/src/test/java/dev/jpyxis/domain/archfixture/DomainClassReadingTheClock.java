package dev.jpyxis.domain.archfixture;

/** Deliberately bad: a domain class reading the wall clock. */
public class DomainClassReadingTheClock {
    public long stamp() {
        return System.currentTimeMillis() + java.time.Instant.now().getNano();
    }
}
