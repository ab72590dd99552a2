package dev.jpyxis.domain.internal.env;

import java.util.Objects;

/** One change to a task's environment. */
public sealed interface EnvironmentChange {

    String name();

    record Set(String name, String value) implements EnvironmentChange {
        public Set {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    record Unset(String name) implements EnvironmentChange {
        public Unset {
            Objects.requireNonNull(name, "name");
        }
    }
}
