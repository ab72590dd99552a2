package dev.jpyxis.exec.archfixture;

/** Deliberately bad: the command library depending on an adapter that uses it. */
public class ExecUsingAnAdapter {
    public String header() {
        return dev.jpyxis.adapters.slurm.shim.SpankOptionTable.header();
    }
}
