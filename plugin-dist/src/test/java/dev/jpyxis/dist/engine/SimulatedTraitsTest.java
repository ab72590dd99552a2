package dev.jpyxis.dist.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpyxis.adapters.charliecloud.CharliecloudRuntime;
import dev.jpyxis.adapters.enroot.EnrootRuntime;
import dev.jpyxis.simulator.node.SimulatedRuntime;
import org.junit.jupiter.api.Test;

/**
 * The simulator may not use the adapters, so it states their traits again: what options each runtime refuses and
 * which variables it protects. Here, where both are visible, they must stay equal.
 */
class SimulatedTraitsTest {

    @Test
    void theSimulatedEnrootHasTheAdaptersTraits() {
        assertEquals(EnrootRuntime.TRAITS, SimulatedRuntime.ENROOT);
    }

    @Test
    void theSimulatedCharliecloudHasTheAdaptersTraits() {
        assertEquals(CharliecloudRuntime.TRAITS, SimulatedRuntime.CHARLIECLOUD);
    }
}
