package dev.jpyxis.domain.internal.step;

import dev.jpyxis.domain.port.in.StepIdentity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

@DisplayName("job information")
class StepContextTest {

    private static StepContext step(long uid, Environment env) {
        return new StepContext(uid, 0, List.of(), 5, 0, 1, 1, 0, env, "/", Optional.empty());
    }

    @ParameterizedTest(name = "uid {0}, ENROOT_ALLOW_SUPERUSER={1}: privileged {2}")
    @CsvSource({"0,yes,true", "0,1,true", "0,Y,true", "0,no,false", "0,FALSE,false", "0,n,false", "0,F,false",
        "0,yesyes,false", "1000,yes,false", "0,,true"})
    void privilegedMode(long uid, String allow, boolean privileged) {
        Environment env = Environment.of("ENROOT_ALLOW_SUPERUSER", allow == null ? "" : allow);
        assertEquals(privileged, step(uid, env).privileged());
    }

    @Test
    @DisplayName("root without ENROOT_ALLOW_SUPERUSER is not privileged")
    void rootWithoutVariable() {
        assertFalse(step(0, Environment.empty()).privileged());
    }

    @Test
    @DisplayName("batch step id, step tag, job cwd from PWD")
    void ids() {
        StepContext batch = new StepContext(1, 1, List.of(), 5, StepIdentity.BATCH_STEP, 1, 0, 0,
                Environment.of("PWD", "/w"), "/", Optional.of("/s"));
        assertTrue(batch.isBatchStep());
        assertEquals("5.4294967291", batch.stepTag());
        assertEquals(Optional.of("/w"), batch.jobCwd());
        assertThrows(IllegalArgumentException.class, () -> new StepContext(1, 1, List.of(), 5, 0, 0, 0, 0,
                Environment.empty(), "/", Optional.empty()));
    }
}
