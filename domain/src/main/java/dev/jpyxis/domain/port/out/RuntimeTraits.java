package dev.jpyxis.domain.port.out;

import java.util.Objects;
import java.util.Set;

/**
 * What a runtime is called in messages, which variables carry its admin-controlled storage and network settings
 * (never taken from the job), and which features it has.
 */
public record RuntimeTraits(String name, Set<String> protectedVariables, Set<RuntimeFeature> features) {

    public RuntimeTraits {
        Objects.requireNonNull(name, "name");
        protectedVariables = Set.copyOf(protectedVariables);
        features = Set.copyOf(features);
    }

    public boolean has(RuntimeFeature feature) {
        return features.contains(feature);
    }
}
