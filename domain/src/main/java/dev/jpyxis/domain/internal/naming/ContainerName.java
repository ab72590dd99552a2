package dev.jpyxis.domain.internal.naming;

import java.util.Objects;

/**
 * The runtime-level name of a step's container and whether the step owns it for its own lifetime only.
 *
 * @param temporary unnamed containers are temporary: removed by the step that created them
 */
public record ContainerName(String value, boolean temporary) {

    public ContainerName {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return value;
    }
}
