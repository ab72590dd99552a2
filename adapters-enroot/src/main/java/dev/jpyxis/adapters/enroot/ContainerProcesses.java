package dev.jpyxis.adapters.enroot;

import dev.jpyxis.domain.port.out.FstabEntry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which of the user's containers run, found the way {@code enroot list -f} finds them (upstream
 * {@code NVIDIA/enroot src/runtime.sh:563}): a process whose root holds enroot's {@code /.lock} runs in the
 * container whose rootfs is mounted on its {@code /}. Done here over {@code /proc} instead of in enroot's bash with
 * {@code lsns}, {@code ps} and {@code column}, which cost a named step 70 to 290 ms (docs/performance.md).
 */
final class ContainerProcesses {

    /** enroot's lock file at the root of every container it started (upstream {@code src/runtime.sh:23}). */
    private static final String LOCK_FILE = ".lock";

    private final Path proc;

    ContainerProcesses(Path proc) {
        this.proc = proc;
    }

    /**
     * The lowest pid running in each of the given containers that runs; a process that vanishes or cannot be read
     * meanwhile is skipped, as enroot skips it.
     */
    Map<String, Long> firstPids(Set<String> names) throws IOException {
        Map<String, Long> first = new HashMap<>();
        if (names.isEmpty()) {
            return first;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc, ContainerProcesses::isPid)) {
            for (Path entry : entries) {
                if (!Files.exists(entry.resolve("root").resolve(LOCK_FILE))) {
                    continue;
                }
                Optional<String> name = rootfsName(entry.resolve("mountinfo"));
                if (name.isPresent() && names.contains(name.get())) {
                    first.merge(name.get(), Long.parseLong(entry.getFileName().toString()), Math::min);
                }
            }
        }
        return first;
    }

    private static boolean isPid(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.length() < 19 && name.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    /** The last path element of the mount on {@code /}: the container's directory under enroot's data path. */
    private static Optional<String> rootfsName(Path mountinfo) {
        List<String> lines;
        try {
            lines = Files.readAllLines(mountinfo, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
        for (String line : lines) {
            String[] fields = line.split(" ", 6);
            if (fields.length >= 5 && fields[4].equals("/")) {
                String root = FstabEntry.unescape(fields[3]);
                int slash = root.lastIndexOf('/');
                String name = root.substring(slash + 1);
                return name.isEmpty() ? Optional.empty() : Optional.of(name);
            }
        }
        return Optional.empty();
    }
}
