package dev.jpyxis.dist.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the startup cache's rehearsal plays whole steps through the real engine")
class StepRehearsalTest {

    @Test
    @DisplayName("each step goes from init to exit: started in place, unpacked and removed, named and reused")
    void everyStepGoesTheWholeWay() throws Exception {
        List<String> inPlace = List.of("init enabled", "user_init ok", "plan log,start,report",
                "plan setenv,join,chdir,seccomp", "task_exit ok", "exit ok");
        List<String> unpacked = List.of("init enabled", "user_init ok", "plan log,start,report",
                "plan setenv,join,chdir,seccomp,resume", "task_exit ok", "exit ok");
        List<String> expected = new ArrayList<>(inPlace);
        expected.addAll(unpacked);
        expected.addAll(unpacked);
        expected.addAll(List.of("enroot create", "enroot remove", "enroot list"));
        assertEquals(expected, StepRehearsal.run());
    }
}
