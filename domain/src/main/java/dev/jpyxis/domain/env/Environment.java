package dev.jpyxis.domain.env;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An environment as a process sees it: names mapped to values, in insertion order. Immutable; each change
 * returns a new environment.
 */
public final class Environment {

    private static final Environment EMPTY = new Environment(new LinkedHashMap<>());

    private final Map<String, String> variables;

    private Environment(LinkedHashMap<String, String> variables) {
        this.variables = Collections.unmodifiableMap(variables);
    }

    public static Environment empty() {
        return EMPTY;
    }

    /**
     * Reads {@code NAME=value} entries, as in {@code environ}; entries without {@code =} are skipped and a later
     * entry for a name replaces an earlier one (keeping the first one's position).
     */
    public static Environment fromEntries(List<String> entries) {
        LinkedHashMap<String, String> variables = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals > 0) {
                variables.put(entry.substring(0, equals), entry.substring(equals + 1));
            }
        }
        return new Environment(variables);
    }

    public static Environment of(Map<String, String> variables) {
        return new Environment(new LinkedHashMap<>(variables));
    }

    public static Environment of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("names and values must come in pairs");
        }
        LinkedHashMap<String, String> variables = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            variables.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Environment(variables);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    public boolean contains(String name) {
        return variables.containsKey(name);
    }

    public Environment with(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (value.equals(variables.get(name))) {
            return this;
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(variables);
        copy.put(name, value);
        return new Environment(copy);
    }

    /** Sets every variable of {@code changes}, in their order; a variable already set keeps its position. */
    public Environment withAll(Map<String, String> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(variables);
        changes.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(value, "value")));
        return new Environment(copy);
    }

    public Environment without(String name) {
        if (!variables.containsKey(name)) {
            return this;
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(variables);
        copy.remove(name);
        return new Environment(copy);
    }

    /** Only the variables whose name passes {@code keep}. */
    public Environment filter(Predicate<String> keep) {
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        variables.forEach((name, value) -> {
            if (keep.test(name)) {
                copy.put(name, value);
            }
        });
        return new Environment(copy);
    }

    public Map<String, String> asMap() {
        return variables;
    }

    /** {@code NAME=value} entries in order. */
    public List<String> entries() {
        List<String> entries = new ArrayList<>(variables.size());
        variables.forEach((name, value) -> entries.add(name + "=" + value));
        return entries;
    }

    public int size() {
        return variables.size();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Environment that && variables.equals(that.variables);
    }

    @Override
    public int hashCode() {
        return variables.hashCode();
    }

    @Override
    public String toString() {
        return "Environment" + variables;
    }
}
