package dev.jpyxis.domain.archfixture;

/** Deliberately bad: a domain class reading the process environment. */
public class DomainClassReadingTheEnvironment {
    public String image() {
        return System.getenv("PYXIS_CONTAINER_IMAGE");
    }
}
