package dev.jpyxis.adapters.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.ByteText;
import dev.jpyxis.domain.plan.NamespaceKind;
import dev.jpyxis.domain.port.out.ContainerProcesses.InspectionException;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against real processes of this machine. */
class ProcContainerProcessesTest {

    private final ProcContainerProcesses processes = new ProcContainerProcesses();

    private static Process stoppedShell(String... env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", "kill -STOP $$; exit 0").directory(new File("/tmp"));
        builder.environment().clear();
        for (int i = 0; i < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        Process process = builder.start();
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        for (int i = 0; i < 500 && !Files.readString(stat).contains(") T "); i++) {
            Thread.sleep(10);
        }
        return process;
    }

    @Test
    void readsEnvironmentAndWorkingDirectoryOfAProcess() throws Exception {
        Process process = stoppedShell("CONTAINER_VAR", "x=y", "OTHER", "2");
        try {
            assertEquals(Optional.of("x=y"), processes.environment(process.pid()).get("CONTAINER_VAR"));
            assertEquals("/tmp", processes.workingDirectory(process.pid()));
            assertEquals(processes.ownNamespace(NamespaceKind.MNT), processes.namespace(process.pid(), NamespaceKind.MNT));
            assertTrue(processes.namespace(process.pid(), NamespaceKind.USER).orElseThrow().startsWith("user:["));
            processes.resume(process.pid());
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "continued, it exits");
            assertEquals(0, process.exitValue());
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void anEnvironmentValueThatIsNotUtf8IsReadByteForByte() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c",
                "BYTES=$(printf 'caf\\351 \\377'); export BYTES; exec /bin/sh -c 'kill -STOP $$; exit 0'");
        builder.environment().clear();
        Process process = builder.start();
        try {
            Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
            for (int i = 0; i < 500 && !Files.readString(stat).contains(") T "); i++) {
                Thread.sleep(10);
            }
            String value = processes.environment(process.pid()).get("BYTES").orElseThrow();
            assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xE9, ' ', (byte) 0xFF}, ByteText.encode(value));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void aMissingProcessIsAnInspectionFailure() {
        long gone = Integer.MAX_VALUE - 1; // above any pid_max
        InspectionException failure = assertThrows(InspectionException.class, () -> processes.environment(gone));
        assertEquals("No such file or directory", failure.getMessage());
        assertThrows(InspectionException.class, () -> processes.workingDirectory(gone));
        assertEquals(Optional.empty(), assertDoesNotThrowNamespace(gone));
        assertThrows(InspectionException.class, () -> processes.resume(gone));
    }

    private Optional<String> assertDoesNotThrowNamespace(long pid) {
        try {
            return processes.namespace(pid, NamespaceKind.NET);
        } catch (InspectionException e) {
            throw new AssertionError(e);
        }
    }
}
