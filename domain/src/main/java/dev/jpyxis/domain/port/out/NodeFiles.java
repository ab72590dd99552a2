package dev.jpyxis.domain.port.out;

import java.util.Optional;

/** The few file operations the step needs on the node, done as the job user. */
public interface NodeFiles {

    /** Looks at a path ({@code stat}). */
    PathProbe probe(String path);

    /** Deletes a file; returns the reason when that failed for anything but its absence. */
    Optional<String> delete(String path);
}
