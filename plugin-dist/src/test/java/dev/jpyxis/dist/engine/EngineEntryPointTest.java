package dev.jpyxis.dist.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpyxis.adapters.slurm.shim.ShimValues;
import org.junit.jupiter.api.Test;

class EngineEntryPointTest {

    @Test
    void theShimStartsThisEngine() {
        assertEquals(EngineMain.class.getName(), ShimValues.ENGINE_MAIN);
    }
}
