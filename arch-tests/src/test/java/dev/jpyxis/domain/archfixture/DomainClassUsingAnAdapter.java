package dev.jpyxis.domain.archfixture;

/** Deliberately bad: the domain reaching out to an adapter. */
public class DomainClassUsingAnAdapter {
    public String header() {
        return dev.jpyxis.adapters.slurm.shim.SpankOptionTable.header();
    }
}
