package dev.jpyxis.domain.port.out;

import java.util.Objects;
import java.util.OptionalLong;

/** One container the runtime knows, and the pid of its first process when it runs. */
public record ContainerListing(String name, OptionalLong pid) {

    public ContainerListing {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(pid, "pid");
    }

    public static ContainerListing stopped(String name) {
        return new ContainerListing(name, OptionalLong.empty());
    }

    public static ContainerListing running(String name, long pid) {
        return new ContainerListing(name, OptionalLong.of(pid));
    }

    public boolean running() {
        return pid.isPresent();
    }
}
