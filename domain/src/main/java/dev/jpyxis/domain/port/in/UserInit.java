package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.env.Environment;
import java.util.Objects;
import java.util.Optional;

/**
 * slurmstepd's {@code user_init}, after Slurm set the job's environment up.
 *
 * @param workingDirectory the directory the tasks will start in
 * @param firstArgument    the step's {@code argv[0]}: for the batch step, the path of the batch script
 */
public record UserInit(Environment jobEnvironment, String workingDirectory, Optional<String> firstArgument) {

    public UserInit {
        Objects.requireNonNull(jobEnvironment, "jobEnvironment");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(firstArgument, "firstArgument");
    }
}
