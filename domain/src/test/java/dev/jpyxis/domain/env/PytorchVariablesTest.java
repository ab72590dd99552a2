package dev.jpyxis.domain.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("the PyTorch variables of enroot's hook")
class PytorchVariablesTest {

    private static final Environment SLURM = Environment.of("SLURM_STEP_NODELIST", "gpu[07-08]",
            "SLURM_JOB_ID", "100", "SLURM_NTASKS", "2", "SLURM_PROCID", "1", "SLURM_LOCALID", "0",
            "SLURM_STEP_NUM_TASKS", "2", "SLURM_STEP_NUM_NODES", "2");

    @Test
    @DisplayName("an image declaring PYTORCH_VERSION gets each variable it lacks, computed as the hook does")
    void filled() {
        Environment filled = PytorchVariables.fill(Environment.of("PYTORCH_VERSION", "2.3"), SLURM);
        assertEquals(Environment.of("PYTORCH_VERSION", "2.3", "MASTER_ADDR", "gpu07", "MASTER_PORT", "61100",
                "WORLD_SIZE", "2", "RANK", "1", "LOCAL_RANK", "0").asMap(), filled.asMap(),
                "one task per node: no OMP_NUM_THREADS");
    }

    @Test
    @DisplayName("the image's own values win; an image without PYTORCH_VERSION is left alone")
    void imageWins() {
        Environment image = Environment.of("PYTORCH_VERSION", "2.3", "WORLD_SIZE", "8", "OMP_NUM_THREADS", "4");
        Environment filled = PytorchVariables.fill(image, SLURM.with("SLURM_STEP_NUM_TASKS", "4"));
        assertEquals(Optional.of("8"), filled.get("WORLD_SIZE"));
        assertEquals(Optional.of("4"), filled.get("OMP_NUM_THREADS"));
        Environment plain = Environment.of("PATH", "/bin");
        assertEquals(plain.asMap(), PytorchVariables.fill(plain, SLURM).asMap());
    }

    @Test
    @DisplayName("missing or non-numeric Slurm values give no variable, as the hook's tests do")
    void missing() {
        Environment filled = PytorchVariables.fill(Environment.of("PYTORCH_VERSION", "2.3"),
                Environment.of("SLURM_JOB_ID", "abc"));
        assertFalse(filled.contains("MASTER_PORT"));
        assertFalse(filled.contains("MASTER_ADDR"));
        assertFalse(filled.contains("OMP_NUM_THREADS"));
    }

    @ParameterizedTest(name = "{0} starts with {1}")
    @CsvSource(delimiter = ';', value = {"node1;node1", "node1,node2;node1", "node[1-2];node1",
        "node[01-04,7],gpu1;node01", "node[7,1-3];node7", "rack[1-2]-n[3-4];rack1-n3", "a-b[5];a-b5"})
    void firstHost(String list, String first) {
        assertEquals(Optional.of(first), PytorchVariables.firstHost(list));
    }

    @ParameterizedTest(name = "\"{0}\" has no first host")
    @CsvSource({"''", "node[1-2", "','"})
    void noFirstHost(String list) {
        assertEquals(Optional.empty(), PytorchVariables.firstHost(list));
    }
}
