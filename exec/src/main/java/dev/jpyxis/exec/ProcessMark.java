package dev.jpyxis.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A process named by its pid and start time (clock ticks after boot, from {@code /proc}): what an engine puts in the
 * name of a file or mount it must remove, so that the user's next engine can tell one left by an engine that is gone
 * (killed before it removed it) from one a live engine still uses, even when the pid was given again.
 */
public record ProcessMark(long pid, long startTime) {

    private static final Path PROC = Path.of("/proc");

    /** This process, unless {@code /proc} does not say when it started. */
    public static Optional<ProcessMark> self() {
        long pid = ProcessHandle.current().pid();
        return startTime(PROC, pid).map(time -> new ProcessMark(pid, time));
    }

    /** The mark a name begins with ({@code <pid>-<start time>-...}), if it begins with one. */
    public static Optional<ProcessMark> named(String name) {
        String[] parts = name.split("-", 3);
        try {
            return parts.length < 3 ? Optional.empty()
                    : Optional.of(new ProcessMark(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
        } catch (NumberFormatException notOne) {
            return Optional.empty();
        }
    }

    /**
     * The entries of a directory named {@code <prefix><mark>...} whose marked process is gone: what engines killed
     * before they cleaned up left there. None when the directory cannot be read.
     */
    public static List<Path> leftByGoneProcesses(Path directory, String prefix) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(entry -> {
                String name = entry.getFileName().toString();
                return name.startsWith(prefix)
                        && named(name.substring(prefix.length())).filter(ProcessMark::gone).isPresent();
            }).toList();
        } catch (IOException unreadable) {
            return List.of();
        }
    }

    /** {@code <pid>-<start time>-}: the beginning of a name that {@link #named} reads back. */
    public String prefix() {
        return pid + "-" + startTime + "-";
    }

    /** Whether the process is gone: no such pid, or a later process given it. */
    public boolean gone() {
        return gone(PROC);
    }

    /** {@link #gone()} against another {@code /proc}; a process whose start cannot be read is taken as alive. */
    boolean gone(Path proc) {
        if (!Files.exists(proc.resolve(Long.toString(pid)))) {
            return true;
        }
        return startTime(proc, pid).map(time -> time != startTime).orElse(false);
    }

    /** Field 22 of {@code /proc/<pid>/stat}, counted after the command name, which may hold spaces and parentheses. */
    static Optional<Long> startTime(Path proc, long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"));
            return Optional.of(Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }
}
