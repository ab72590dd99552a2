package dev.jpyxis.domain.archfixture.internal;

/** Stands for a domain implementation detail that no other module may use. */
public class DomainInternalHelper {
    public static int answer() {
        return 42;
    }
}
