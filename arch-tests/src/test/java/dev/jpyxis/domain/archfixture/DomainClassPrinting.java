package dev.jpyxis.domain.archfixture;

/** Deliberately bad: a domain class writing to the terminal. */
public class DomainClassPrinting {
    public void report(String line) {
        System.err.println(line);
    }
}
