package dev.jpyxis.simulator.slurm;

import dev.jpyxis.domain.env.Environment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a step (or several) showed the user and left behind, for expectations and reports. */
public final class StepResult {

    public final List<String> stdout = new ArrayList<>();
    public final List<String> stderr = new ArrayList<>();
    public int exit;
    /** Runtime commands run during the action, summed over nodes. */
    public final Map<String, Integer> counts = new TreeMap<>();
    /** Per node: the mount namespace of each task that ran its command. */
    public final Map<String, List<String>> mountNamespaces = new LinkedHashMap<>();
    /** The environment each task's command saw, by global task id. */
    public final Map<Integer, Environment> environments = new TreeMap<>();

    public void add(StepResult other) {
        stdout.addAll(other.stdout);
        stderr.addAll(other.stderr);
        exit = Math.max(exit, other.exit);
        other.counts.forEach((k, v) -> counts.merge(k, v, Integer::sum));
        mountNamespaces.clear();
        mountNamespaces.putAll(other.mountNamespaces);
        environments.clear();
        environments.putAll(other.environments);
    }
}
