package dev.jpyxis.adapters.slurm.archfixture;

/** Deliberately bad: the SPANK side running a command on the node itself. */
public class SpankSideRunningACommand {
    public Object runner() {
        return new dev.jpyxis.exec.CommandRunner();
    }
}
