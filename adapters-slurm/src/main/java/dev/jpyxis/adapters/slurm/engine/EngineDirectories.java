package dev.jpyxis.adapters.slurm.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The per-engine directories ({@code engine-<pid>-<start time>}) holding each step engine's task socket. An engine
 * killed by slurmstepd cannot remove its own; the next engine of the user on the node does.
 */
final class EngineDirectories {

    private static final Pattern NAME = Pattern.compile("engine-(\\d+)-(\\d+)");

    private EngineDirectories() {
    }

    static Path create(Path runtimeDirectory) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        Path directory = runtimeDirectory.resolve("engine-" + self.pid() + "-" + startTime(self.pid()));
        return Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
    }

    static void removeStale(Path runtimeDirectory) {
        try (Stream<Path> entries = Files.list(runtimeDirectory)) {
            for (Path entry : entries.toList()) {
                Matcher name = NAME.matcher(entry.getFileName().toString());
                if (name.matches() && startTime(Long.parseLong(name.group(1))) != Long.parseLong(name.group(2))) {
                    deleteTree(entry);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // best effort: a stale directory only costs a few bytes
        }
    }

    /** Field 22 of /proc/PID/stat; -1 when the process does not exist. */
    static long startTime(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
        } catch (IOException | RuntimeException gone) {
            return -1;
        }
    }

    private static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
