package dev.jpyxis.domain.port.out;

import java.util.Objects;
import java.util.Set;

/**
 * What a runtime is called in messages, which variables carry its admin-controlled storage and network settings
 * (never taken from the job), which features it has, and whether it nests the container's user namespace in the one
 * that owns its unshared namespaces (Charliecloud's {@code ch-run} makes its own inside the one jpyxis unshared them
 * in, and nests a second one with Charliecloud 0.31), so that tasks join that owner first.
 */
public record RuntimeTraits(String name, Set<String> protectedVariables, Set<RuntimeFeature> features,
        boolean nestsUserNamespace) {

    public RuntimeTraits {
        Objects.requireNonNull(name, "name");
        protectedVariables = Set.copyOf(protectedVariables);
        features = Set.copyOf(features);
    }

    /** A runtime that makes every namespace of a container in one user namespace, as enroot does. */
    public RuntimeTraits(String name, Set<String> protectedVariables, Set<RuntimeFeature> features) {
        this(name, protectedVariables, features, false);
    }

    public boolean has(RuntimeFeature feature) {
        return features.contains(feature);
    }
}
