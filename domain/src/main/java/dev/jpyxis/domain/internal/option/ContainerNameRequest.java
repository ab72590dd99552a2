package dev.jpyxis.domain.internal.option;

import java.util.Objects;

/** The bare name given with {@code --container-name} and its flag. */
public record ContainerNameRequest(String name, NameFlag flag) {

    public ContainerNameRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(flag, "flag");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a container name cannot be empty");
        }
    }

    /** The argument that reproduces this request. */
    public String argument() {
        return name + ":" + flag.keyword();
    }
}
