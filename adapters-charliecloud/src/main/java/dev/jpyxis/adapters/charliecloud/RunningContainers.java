package dev.jpyxis.adapters.charliecloud;

import dev.jpyxis.domain.port.out.FstabEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which processes run in which unpacked image, read from {@code /proc} as enroot does for {@code list -f}: a process
 * whose mount namespace differs from ours and whose root mount is an image directory runs in that image. Also says
 * whether a mount point of ours is still mounted.
 */
public final class RunningContainers {

    private final Path proc;

    public RunningContainers() {
        this(Path.of("/proc"));
    }

    RunningContainers(Path proc) {
        this.proc = proc;
    }

    /** The lowest pid running in each image directory, by the directory's absolute path on this host. */
    public Map<Path, Long> firstProcessByRoot() {
        Map<Path, Long> first = new HashMap<>();
        Optional<String> ownNamespace = link(proc.resolve("self/ns/mnt"));
        List<MountLine> hostMounts = mounts(proc.resolve("self/mountinfo"));
        try (Stream<Path> entries = Files.list(proc)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                Optional<String> namespace = link(entry.resolve("ns/mnt"));
                if (namespace.isEmpty() || namespace.equals(ownNamespace)) {
                    continue;
                }
                rootOf(entry, hostMounts).ifPresent(root -> first.merge(root, Long.parseLong(name), Math::min));
            }
        } catch (IOException unreadable) {
            return first;
        }
        return first;
    }

    /** A process, told apart from a later one of the same pid by its start time (clock ticks after boot). */
    record Engine(long pid, long startTime) {

        /** {@code <pid>-<start time>} */
        String name() {
            return pid + "-" + startTime;
        }

        /** The engine a name begins with ({@code <pid>-<start time>-...}), if it begins with one. */
        static Optional<Engine> named(String name) {
            String[] parts = name.split("-", 3);
            try {
                return parts.length < 3 ? Optional.empty()
                        : Optional.of(new Engine(Long.parseLong(parts[0]), Long.parseLong(parts[1])));
            } catch (NumberFormatException notOne) {
                return Optional.empty();
            }
        }
    }

    /** This process, unless {@code /proc} does not say when it started. */
    Optional<Engine> self() {
        long pid = ProcessHandle.current().pid();
        return startTime(pid).map(time -> new Engine(pid, time));
    }

    /**
     * Whether the process may still run: false only when {@code /proc} has no such pid, or says it is a later process
     * given the same pid.
     */
    boolean alive(Engine engine) {
        Path process = proc.resolve(Long.toString(engine.pid()));
        if (!Files.exists(process)) {
            return false;
        }
        return startTime(engine.pid()).map(time -> time == engine.startTime()).orElse(true);
    }

    /** Field 22 of {@code /proc/<pid>/stat}, counted after the command name, which may hold spaces and parentheses. */
    private Optional<Long> startTime(long pid) {
        try {
            String stat = Files.readString(proc.resolve(Long.toString(pid)).resolve("stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(fields[19]));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /**
     * Whether a file system is mounted on this directory in this process's mount namespace (the kernel names mount
     * points by their real path; the directory itself is not resolved: a dead FUSE mount cannot be).
     */
    public boolean mounted(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        Path wanted = absolute;
        if (absolute.getParent() != null) {
            try {
                wanted = absolute.getParent().toRealPath().resolve(absolute.getFileName());
            } catch (IOException unresolvable) {
                // compared as given
            }
        }
        String mountPoint = wanted.toString();
        return mounts(proc.resolve("self/mountinfo")).stream().anyMatch(line -> line.mountPoint().equals(mountPoint));
    }

    /** The host path of the directory a process has as its root, from the {@code /} line of its mountinfo. */
    private static Optional<Path> rootOf(Path process, List<MountLine> hostMounts) {
        for (MountLine line : mounts(process.resolve("mountinfo"))) {
            if (!line.mountPoint().equals("/")) {
                continue;
            }
            MountLine best = null;
            for (MountLine host : hostMounts) {
                if (host.device().equals(line.device()) && within(line.root(), host.root())
                        && (best == null || host.root().length() > best.root().length())) {
                    best = host;
                }
            }
            if (best == null) {
                return Optional.empty();
            }
            String relative = line.root().substring(best.root().length()).replaceFirst("^/", "");
            return Optional.of(Path.of(best.mountPoint()).resolve(relative).toAbsolutePath().normalize());
        }
        return Optional.empty();
    }

    private static boolean within(String path, String directory) {
        return directory.equals("/") || path.equals(directory) || path.startsWith(directory + "/");
    }

    record MountLine(String device, String root, String mountPoint) {
    }

    static List<MountLine> mounts(Path mountinfo) {
        try {
            return Files.readAllLines(mountinfo).stream().map(line -> line.split(" "))
                    .filter(fields -> fields.length > 4)
                    .map(fields -> new MountLine(fields[2], FstabEntry.unescape(fields[3]),
                            FstabEntry.unescape(fields[4]))).toList();
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
    }

    private static Optional<String> link(Path path) {
        try {
            return Optional.of(Files.readSymbolicLink(path).toString());
        } catch (IOException | UnsupportedOperationException unreadable) {
            return Optional.empty();
        }
    }
}
