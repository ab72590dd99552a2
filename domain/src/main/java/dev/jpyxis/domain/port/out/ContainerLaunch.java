package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.env.Environment;
import java.util.List;
import java.util.Objects;

/**
 * The command that starts a container's first process, and the files written for it.
 *
 * @param argv            the program by absolute path, then its arguments
 * @param environment     exactly the environment the process gets
 * @param temporaryFiles  what {@link ContainerRuntime#finishStart} removes
 */
public record ContainerLaunch(List<String> argv, Environment environment, List<String> temporaryFiles) {

    public ContainerLaunch {
        argv = List.copyOf(argv);
        Objects.requireNonNull(environment, "environment");
        temporaryFiles = List.copyOf(temporaryFiles);
    }
}
