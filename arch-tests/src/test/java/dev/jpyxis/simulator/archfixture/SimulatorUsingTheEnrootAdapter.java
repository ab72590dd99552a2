package dev.jpyxis.simulator.archfixture;

/** Deliberately bad: the simulator using a real adapter instead of its simulated runtime. */
public class SimulatorUsingTheEnrootAdapter {
    public Object adapter() {
        return new dev.jpyxis.adapters.enroot.archfixture.EnrootAdapterUsingSlurmAdapter();
    }
}
