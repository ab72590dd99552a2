package dev.jpyxis.adapters.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.CommandOutcome;
import dev.jpyxis.domain.port.out.ImageImporter;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.exec.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutableImporterTest {

    @TempDir
    Path dir;

    private ImageImporter importer(String body) throws Exception {
        Path script = dir.resolve("importer");
        Files.writeString(script, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return new ExecutableImporter(script.toString(), new CommandRunner());
    }

    private RuntimeInvocation invocation() {
        return new RuntimeInvocation(Environment.of("SLURM_JOB_ID", "12", "PATH", "/usr/bin:/bin"), dir.toString());
    }

    @Test
    void getReturnsTheFirstStdoutLineOnly() throws Exception {
        ImageImporter importer = importer("echo \"$1 $2\" >&2; echo /cache/$SLURM_JOB_ID.sqsh");
        assertEquals("/cache/12.sqsh", importer.get(invocation(), "docker://ubuntu"));
    }

    @Test
    void failuresCarryStderr() throws Exception {
        ImageImporter failing = importer("echo 'registry unreachable' >&2; exit 4");
        CommandFailedException failure = assertThrows(CommandFailedException.class,
                () -> failing.get(invocation(), "docker://x"));
        assertEquals(4, ((CommandOutcome.Exited) failure.outcome()).code());
        assertEquals(List.of("registry unreachable"), failure.log());
    }

    @Test
    void noPathIsItsOwnFailure() throws Exception {
        ImageImporter silent = importer("echo 'nothing to say' >&2");
        ImageImporter.ImporterGaveNoPathException failure = assertThrows(
                ImageImporter.ImporterGaveNoPathException.class, () -> silent.get(invocation(), "docker://x"));
        assertEquals(List.of("nothing to say"), failure.log());
    }

    @Test
    void releaseRunsWithoutAnImageArgument() throws Exception {
        Path marker = dir.resolve("released");
        ImageImporter importer = importer("[ \"$1\" = release ] && [ $# -eq 1 ] && touch " + marker);
        importer.release(invocation());
        assertEquals(true, Files.exists(marker));
        ImageImporter failing = importer("exit 1");
        assertThrows(CommandFailedException.class, () -> failing.release(invocation()));
    }

    @Test
    void eachCommandIsLoggedAsPyxisLogsImporterCommands() throws Exception {
        ImageImporter importer = importer("echo /cache/x.sqsh");
        List<Diagnostic> lines = new ArrayList<>();
        RuntimeInvocation reporting = invocation().reportingTo(lines);
        importer.get(reporting, "docker://ubuntu");
        importer.release(reporting);
        String path = dir.resolve("importer").toString();
        assertEquals(List.of(Diagnostic.verbose("pyxis: running importer command: " + path + " get docker://ubuntu"),
                Diagnostic.verbose("pyxis: running importer command: " + path + " release")), lines);
    }
}
