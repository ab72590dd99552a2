package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.domain.port.out.FstabEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a job's own mount namespace is kept, when it has one: Slurm's {@code job_container/tmpfs} gives every job a
 * mount namespace (a private {@code /tmp} and {@code /dev/shm}), enters it in each task, and holds it by a bind mount
 * of the namespace file on {@code <BasePath>/<job>/.ns} in the node's own mount table (upstream
 * {@code SchedMD/slurm src/plugins/job_container/tmpfs/job_container_tmpfs.c:113}). slurmstepd itself stays outside,
 * and so would the engine it starts (docs/lifecycle.md#the-tasks-world).
 */
public final class JobNamespaces {

    private final Path mountInfo;

    /** The engine's own mount table, which is slurmstepd's. */
    public JobNamespaces() {
        this(Path.of("/proc/self/mountinfo"));
    }

    JobNamespaces(Path mountInfo) {
        this.mountInfo = mountInfo;
    }

    /** The namespace file held for this job, if the node holds one: an {@code nsfs} mount at {@code .../<job>/.ns}. */
    public Optional<String> holderOf(long job) {
        List<String> lines;
        try {
            lines = Files.readAllLines(mountInfo, StandardCharsets.UTF_8);
        } catch (NoSuchFileException none) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String suffix = "/" + job + "/.ns";
        Optional<String> found = Optional.empty();
        for (String line : lines) {
            // ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER_OPTIONS (proc(5))
            String[] fields = line.split(" ");
            int separator = List.of(fields).indexOf("-");
            if (fields.length < 5 || separator < 0 || separator + 1 >= fields.length
                    || !"nsfs".equals(fields[separator + 1])) {
                continue;
            }
            String mountPoint = FstabEntry.unescape(fields[4]);
            if (mountPoint.endsWith(suffix)) {
                found = Optional.of(mountPoint); // the last one mounted there is the one a path reaches
            }
        }
        return found;
    }
}
