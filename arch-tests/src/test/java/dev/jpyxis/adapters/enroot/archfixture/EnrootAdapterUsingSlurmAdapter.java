package dev.jpyxis.adapters.enroot.archfixture;

/** Deliberately bad: one adapter depending on another. */
public class EnrootAdapterUsingSlurmAdapter {
    public String header() {
        return dev.jpyxis.adapters.slurm.shim.SpankOptionTable.header();
    }
}
