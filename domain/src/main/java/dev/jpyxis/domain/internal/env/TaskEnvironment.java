package dev.jpyxis.domain.internal.env;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.env.PytorchVariables;

import dev.jpyxis.domain.message.PyxisException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each task's command finally sees (docs/pyxis-compatibility.md#task-environment): the container's environment
 * over the task's, except for the {@code --container-env} names the task already has; host locales dropped; PyTorch
 * ranks per task, and the rest of the PyTorch variables where the runtime has no hook giving them.
 */
public final class TaskEnvironment {

    /** Host locales often do not exist in images; pyxis drops them unless asked to keep them. */
    public static final List<String> HOST_LOCALE = List.of("LANG", "LANGUAGE", "LC_ALL");

    /** Pyxis copies rank values through a 256-byte buffer. */
    private static final int MAX_RANK_VALUE_BYTES = 255;

    private TaskEnvironment() {
    }

    /**
     * @param task              the task's own environment (Slurm's per-task job environment)
     * @param container         the environment of the container's first process, in its order
     * @param keepFromHost      the {@code --container-env} names
     * @param pytorchHook       whether the runtime's own hook gave the container its PyTorch variables already
     * @throws PyxisException when the PyTorch remapping cannot get or set a rank
     */
    public static Environment merge(Environment task, Environment container, List<String> keepFromHost,
            boolean pytorchHook) {
        if (!pytorchHook) {
            container = PytorchVariables.fill(container, task);
        }
        Set<String> kept = Set.copyOf(keepFromHost);
        Environment env = task;
        for (String locale : HOST_LOCALE) {
            if (!kept.contains(locale)) {
                env = env.without(locale);
            }
        }
        Map<String, String> fromContainer = new LinkedHashMap<>();
        for (var variable : container.asMap().entrySet()) {
            if (!kept.contains(variable.getKey()) || !env.contains(variable.getKey())) {
                fromContainer.put(variable.getKey(), variable.getValue());
            }
        }
        env = env.withAll(fromContainer);
        if (env.contains("PYTORCH_VERSION")) {
            env = remap(env, "SLURM_PROCID", "RANK");
            env = remap(env, "SLURM_LOCALID", "LOCAL_RANK");
        }
        return env;
    }

    private static Environment remap(Environment env, String source, String target) {
        var value = env.get(source);
        if (value.isEmpty()) {
            throw new PyxisException(List.of("pyxis: failed to get " + source + ": Environment variable does not exist",
                    "pyxis: pytorch: couldn't remap environment variable " + source));
        }
        if (value.get().getBytes(StandardCharsets.UTF_8).length > MAX_RANK_VALUE_BYTES) {
            throw new PyxisException(List.of("pyxis: failed to get " + source + ": Value too long",
                    "pyxis: pytorch: couldn't remap environment variable " + source));
        }
        return env.with(target, value.get());
    }

    /** The changes that turn {@code from} into {@code to}: unsets first, then sets in {@code to}'s order. */
    public static List<EnvironmentChange> changes(Environment from, Environment to) {
        List<EnvironmentChange> changes = new ArrayList<>();
        for (String name : from.asMap().keySet()) {
            if (!to.contains(name)) {
                changes.add(new EnvironmentChange.Unset(name));
            }
        }
        for (var variable : to.asMap().entrySet()) {
            if (!from.get(variable.getKey()).equals(java.util.Optional.of(variable.getValue()))) {
                changes.add(new EnvironmentChange.Set(variable.getKey(), variable.getValue()));
            }
        }
        return changes;
    }
}
