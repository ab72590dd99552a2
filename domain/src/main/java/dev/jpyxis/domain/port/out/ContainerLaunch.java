package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.plan.ContainerMount;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The command that starts a container's first process, and the files written for it.
 *
 * @param argv            the program by absolute path, then its arguments
 * @param environment     exactly the environment the process gets
 * @param temporaryFiles  what {@link ContainerRuntime#finishStart} removes
 * @param unshare         namespaces {@code argv} makes in a user namespace of their own, the parent of the
 *                        container's, and leaves to jpyxis to finish (the loopback interface of a new network
 *                        namespace); empty for runtimes that do it all, as enroot does
 * @param mounts          mounts the runtime leaves to jpyxis: made in the container's mount namespace once its first
 *                        process has stopped itself, before any task joins it (empty for runtimes that make all their
 *                        mounts, as enroot does)
 */
public record ContainerLaunch(List<String> argv, Environment environment, List<String> temporaryFiles,
        Set<Namespace> unshare, List<ContainerMount> mounts) {

    public ContainerLaunch {
        argv = List.copyOf(argv);
        Objects.requireNonNull(environment, "environment");
        temporaryFiles = List.copyOf(temporaryFiles);
        unshare = Set.copyOf(unshare);
        mounts = List.copyOf(mounts);
    }

    public ContainerLaunch(List<String> argv, Environment environment, List<String> temporaryFiles) {
        this(argv, environment, temporaryFiles, Set.of(), List.of());
    }
}
