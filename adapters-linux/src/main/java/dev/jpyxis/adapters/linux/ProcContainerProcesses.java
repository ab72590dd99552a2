package dev.jpyxis.adapters.linux;

import dev.jpyxis.domain.env.ByteText;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.plan.NamespaceKind;
import dev.jpyxis.domain.port.out.ContainerProcesses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Container processes as {@code /proc} shows them to the engine, which runs as the job user like they do. */
public final class ProcContainerProcesses implements ContainerProcesses {

    private final Path proc;

    public ProcContainerProcesses() {
        this(Path.of("/proc"));
    }

    ProcContainerProcesses(Path proc) {
        this.proc = proc;
    }

    @Override
    public Environment environment(long pid) throws InspectionException {
        try {
            byte[] bytes = Files.readAllBytes(proc.resolve(pid + "/environ"));
            List<String> entries = new ArrayList<>();
            int start = 0;
            for (int i = 0; i <= bytes.length; i++) {
                if (i == bytes.length || bytes[i] == 0) {
                    if (i > start) {
                        entries.add(ByteText.decode(bytes, start, i - start));
                    }
                    start = i + 1;
                }
            }
            return Environment.fromEntries(entries);
        } catch (IOException e) {
            throw new InspectionException(reason(e));
        }
    }

    @Override
    public String workingDirectory(long pid) throws InspectionException {
        try {
            return Files.readSymbolicLink(proc.resolve(pid + "/cwd")).toString();
        } catch (IOException e) {
            throw new InspectionException(reason(e));
        }
    }

    @Override
    public Optional<String> namespace(long pid, NamespaceKind kind) throws InspectionException {
        return link(proc.resolve(pid + "/ns/" + kind.procName()));
    }

    @Override
    public Optional<String> ownNamespace(NamespaceKind kind) throws InspectionException {
        return link(proc.resolve("self/ns/" + kind.procName()));
    }

    private static Optional<String> link(Path path) throws InspectionException {
        try {
            return Optional.of(Files.readSymbolicLink(path).toString());
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException e) {
            throw new InspectionException(reason(e));
        }
    }

    /** Java has no way to send SIGCONT; {@code kill} does (the process belongs to the same user). */
    @Override
    public void resume(long pid) throws InspectionException {
        try {
            Process kill = new ProcessBuilder("/bin/kill", "-s", "CONT", Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new InspectionException("kill -CONT " + pid + " failed");
            }
        } catch (IOException e) {
            throw new InspectionException(reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InspectionException("interrupted");
        }
    }

    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "No such file or directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "Permission denied";
        }
        if (e instanceof java.nio.file.DirectoryNotEmptyException) {
            return "Directory not empty";
        }
        if (e instanceof java.nio.file.FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
