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
