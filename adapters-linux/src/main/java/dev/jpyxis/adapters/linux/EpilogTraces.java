package dev.jpyxis.adapters.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The job epilog's traces in the user's directory on the node: {@code <expected prefix><job>}, left by a step engine
 * when the job's epilog will have work here, and {@code <ended prefix><job>}, what the shim turns it into when no engine
 * of the job epilog answered (docs/lifecycle.md#faults).
 */
public record EpilogTraces(Path directory, String expectedPrefix, String endedPrefix) {

    Path expected(long jobId) {
        return directory.resolve(expectedPrefix + jobId);
    }

    Path ended(long jobId) {
        return directory.resolve(endedPrefix + jobId);
    }

    /** The jobs with an ended trace: regular files named {@code <ended prefix><digits>} only. */
    List<Long> endedJobs() {
        List<Long> jobs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, endedPrefix + "*")) {
            for (Path entry : entries) {
                String id = entry.getFileName().toString().substring(endedPrefix.length());
                if (!id.isEmpty() && id.length() <= 18 && id.chars().allMatch(c -> c >= '0' && c <= '9')
                        && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    jobs.add(Long.parseLong(id));
                }
            }
        } catch (IOException unreadable) {
            // no directory, no traces: nothing to sweep
        }
        jobs.sort(null);
        return jobs;
    }
}
