package dev.jpyxis.simulator.archfixture;

/** Deliberately bad: the simulator using a domain internal instead of its public API. */
public class SimulatorUsingDomainInternals {
    public int answer() {
        return dev.jpyxis.domain.archfixture.internal.DomainInternalHelper.answer();
    }
}
