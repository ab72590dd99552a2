package dev.jpyxis.domain.internal.env;

import dev.jpyxis.domain.env.Environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.message.PyxisException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class EnvironmentRulesTest {

    private static final Set<String> ENROOT_PROTECTED = Set.of("ENROOT_DATA_PATH", "ENROOT_ALLOW_HTTP");

    @Nested
    @DisplayName("the runtime's environment")
    class Runtime {
        private final Environment job = Environment.of("PATH", "/home/u/bin", "LD_PRELOAD", "x.so", "LD_LIBRARY_PATH",
                "/l", "SLURM_PROCID", "3", "SLURM_LOCALID", "1", "SLURM_TASK_PID", "99", "PMIX_RANK", "3", "PMI_FD", "7",
                "ENROOT_DATA_PATH", "/mine", "ENROOT_ALLOW_HTTP", "yes", "HOME", "/home/u", "SLURM_JOB_ID", "12",
                "PMIX_NAMESPACE", "slurm.pmix.12.0", "ENROOT_CONFIG_PATH", "/home/u/.enroot", "SLURM_JOB_UID", "666",
                "ENROOT_TRANSFER_TIMEOUT", "60", "TERM", "xterm");

        private final Environment env = RuntimeEnvironment.build("/usr/sbin:/usr/bin", job, ENROOT_PROTECTED, 1000, 100,
                "/run/pyxis");

        @Test
        @DisplayName("PATH is the daemon's, never the job's")
        void daemonPath() {
            assertEquals(Optional.of("/usr/sbin:/usr/bin"), env.get("PATH"));
        }

        @Test
        @DisplayName("loader settings, per-task variables and the runtime's protected settings are denied")
        void denied() {
            for (String name : List.of("LD_PRELOAD", "LD_LIBRARY_PATH", "SLURM_PROCID", "SLURM_LOCALID",
                    "SLURM_TASK_PID", "PMIX_RANK", "PMI_FD", "ENROOT_DATA_PATH", "ENROOT_ALLOW_HTTP")) {
                assertFalse(env.contains(name), name);
            }
        }

        @Test
        @DisplayName("everything else passes: HOME, TERM, SLURM_*, PMIX_*, ENROOT_CONFIG_PATH, ENROOT_TRANSFER_TIMEOUT")
        void passes() {
            for (String name : List.of("HOME", "TERM", "SLURM_JOB_ID", "PMIX_NAMESPACE", "ENROOT_CONFIG_PATH",
                    "ENROOT_TRANSFER_TIMEOUT")) {
                assertTrue(env.contains(name), name);
            }
        }

        @Test
        @DisplayName("SLURM_JOB_UID/GID are forced to the job's ids; PYXIS_RUNTIME_PATH and PYXIS_VERSION added")
        void forced() {
            assertEquals(Optional.of("1000"), env.get("SLURM_JOB_UID"));
            assertEquals(Optional.of("100"), env.get("SLURM_JOB_GID"));
            assertEquals(Optional.of("/run/pyxis"), env.get("PYXIS_RUNTIME_PATH"));
            assertEquals(Optional.of("0.24.0"), env.get("PYXIS_VERSION"));
        }
    }

    @Nested
    @DisplayName("the task's environment")
    class Task {
        private final Environment task = Environment.of("PATH", "/host/bin", "LANG", "de_DE.UTF-8", "LC_ALL", "C",
                "LANGUAGE", "de", "FOO", "bar", "SLURM_PROCID", "2", "SLURM_LOCALID", "0", "CUDA_VERSION", "12.0.0",
                "LD_LIBRARY_PATH", "/host/lib");
        private final Environment container = Environment.of("PATH", "/usr/local/bin:/usr/bin", "CUDA_VERSION",
                "11.8.0", "LD_LIBRARY_PATH", "/usr/local/cuda/lib64", "HOME", "/root", "LANG", "C.UTF-8");

        @Test
        @DisplayName("container values win; host-only variables stay; host locales are dropped")
        void containerWins() {
            Environment merged = TaskEnvironment.merge(task, container, List.of(), true);
            assertEquals(Optional.of("/usr/local/bin:/usr/bin"), merged.get("PATH"));
            assertEquals(Optional.of("11.8.0"), merged.get("CUDA_VERSION"));
            assertEquals(Optional.of("/usr/local/cuda/lib64"), merged.get("LD_LIBRARY_PATH"));
            assertEquals(Optional.of("bar"), merged.get("FOO"));
            assertEquals(Optional.of("2"), merged.get("SLURM_PROCID"));
            assertEquals(Optional.of("C.UTF-8"), merged.get("LANG"));
            assertFalse(merged.contains("LC_ALL"));
            assertFalse(merged.contains("LANGUAGE"));
        }

        @Test
        @DisplayName("--container-env names keep the host value when the host has one, in either order")
        void containerEnvKeepsHost() {
            Environment merged = TaskEnvironment.merge(task, container,
                    List.of("LD_LIBRARY_PATH", "CUDA_VERSION", "LANG", "HOME"), true);
            assertEquals(Optional.of("12.0.0"), merged.get("CUDA_VERSION"));
            assertEquals(Optional.of("/host/lib"), merged.get("LD_LIBRARY_PATH"));
            assertEquals(Optional.of("de_DE.UTF-8"), merged.get("LANG"));
            assertEquals(Optional.of("/root"), merged.get("HOME"), "the host has no HOME here: the image's stays");
            assertEquals(Optional.of("11.8.0"),
                    TaskEnvironment.merge(task.without("CUDA_VERSION"), container, List.of("CUDA_VERSION"), true)
                            .get("CUDA_VERSION"));
        }

        @Test
        @DisplayName("with PYTORCH_VERSION each task gets RANK and LOCAL_RANK from its own Slurm ids")
        void pytorch() {
            Environment merged = TaskEnvironment.merge(task, container.with("PYTORCH_VERSION", "2.3"), List.of(), true);
            assertEquals(Optional.of("2"), merged.get("RANK"));
            assertEquals(Optional.of("0"), merged.get("LOCAL_RANK"));
            assertFalse(TaskEnvironment.merge(task, container, List.of(), true).contains("RANK"));
        }

        @Test
        @DisplayName("without the runtime's PyTorch hook jpyxis gives the hook's variables; the image's values win")
        void pytorchWithoutHook() {
            Environment step = task.with("SLURM_STEP_NODELIST", "node[1-2]").with("SLURM_JOB_ID", "4537")
                    .with("SLURM_NTASKS", "4").with("SLURM_STEP_NUM_TASKS", "4").with("SLURM_STEP_NUM_NODES", "2");
            Environment image = container.with("PYTORCH_VERSION", "2.3").with("MASTER_PORT", "29500");
            Environment merged = TaskEnvironment.merge(step, image, List.of(), false);
            assertEquals(Optional.of("node1"), merged.get("MASTER_ADDR"));
            assertEquals(Optional.of("29500"), merged.get("MASTER_PORT"));
            assertEquals(Optional.of("4"), merged.get("WORLD_SIZE"));
            assertEquals(Optional.of("1"), merged.get("OMP_NUM_THREADS"));
            assertEquals(Optional.of("2"), merged.get("RANK"));
            assertEquals(Optional.of("0"), merged.get("LOCAL_RANK"));
            assertFalse(TaskEnvironment.merge(step, image, List.of(), true).contains("WORLD_SIZE"),
                    "the runtime's hook gave them, or not: jpyxis adds nothing");
            assertFalse(TaskEnvironment.merge(step, container, List.of(), false).contains("WORLD_SIZE"),
                    "no PYTORCH_VERSION: nothing");
        }

        @Test
        @DisplayName("with PYTORCH_VERSION a missing Slurm id fails the task")
        void pytorchMissingId() {
            PyxisException error = assertThrows(PyxisException.class, () -> TaskEnvironment.merge(
                    task.without("SLURM_LOCALID"), container.with("PYTORCH_VERSION", "2.3"), List.of(), true));
            assertEquals(List.of("pyxis: failed to get SLURM_LOCALID: Environment variable does not exist",
                    "pyxis: pytorch: couldn't remap environment variable SLURM_LOCALID"), error.lines());
            PyxisException tooLong = assertThrows(PyxisException.class, () -> TaskEnvironment.merge(
                    task.with("SLURM_PROCID", "9".repeat(256)), container.with("PYTORCH_VERSION", "2.3"), List.of(), true));
            assertEquals("pyxis: failed to get SLURM_PROCID: Value too long", tooLong.lines().get(0));
        }

        @Test
        @DisplayName("the changes from one environment to another: unsets, then sets in order")
        void changes() {
            List<EnvironmentChange> changes = TaskEnvironment.changes(Environment.of("A", "1", "B", "2", "C", "3"),
                    Environment.of("B", "2", "C", "4", "D", "5"));
            assertEquals(List.of(new EnvironmentChange.Unset("A"), new EnvironmentChange.Set("C", "4"),
                    new EnvironmentChange.Set("D", "5")), changes);
        }
    }
}
