package dev.jpyxis.domain.archfixture;

/** Deliberately bad: a domain class starting a process. */
public class DomainClassStartingAProcess {
    public void run() throws java.io.IOException {
        new ProcessBuilder("enroot", "list").start();
    }
}
