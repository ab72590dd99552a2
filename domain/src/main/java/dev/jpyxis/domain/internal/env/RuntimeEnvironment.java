package dev.jpyxis.domain.internal.env;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The environment of the container runtime's and the importer's processes
 * (docs/pyxis-compatibility.md#runtime-environment): built from nothing but the daemon's {@code PATH}, the job
 * environment without the variables a user must not choose for the runtime, the job's ids, and pyxis's own two
 * variables.
 */
public final class RuntimeEnvironment {

    /** What pyxis reports as its version to the runtime and importer. */
    public static final String PYXIS_VERSION = PluginConfig.PYXIS_VERSION;

    /**
     * Never passed from the job: the search path and loader settings, and the per-task variables that must not end
     * up in the (per-node) container environment, which is later copied over every task's environment.
     */
    public static final Set<String> DENIED = Set.of("PATH", "LD_LIBRARY_PATH", "LD_PRELOAD", "SLURM_PROCID",
            "SLURM_LOCALID", "SLURM_TASK_PID", "PMIX_RANK", "PMI_FD");

    private RuntimeEnvironment() {
    }

    /**
     * @param daemonPath        the {@code PATH} of the plugin's own process (slurmstepd), used to find the runtime
     * @param jobEnvironment    the job environment, or a task's
     * @param protectedByRuntime variables the runtime reads its storage and network settings from
     */
    public static Environment build(String daemonPath, Environment jobEnvironment, Set<String> protectedByRuntime,
            long uid, long gid, String runtimePath) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", daemonPath);
        for (var variable : jobEnvironment.asMap().entrySet()) {
            String name = variable.getKey();
            if (!DENIED.contains(name) && !protectedByRuntime.contains(name)) {
                env.put(name, variable.getValue());
            }
        }
        env.put("SLURM_JOB_UID", Long.toString(uid));
        env.put("SLURM_JOB_GID", Long.toString(gid));
        env.put("PYXIS_RUNTIME_PATH", runtimePath);
        env.put("PYXIS_VERSION", PYXIS_VERSION);
        return Environment.of(env);
    }
}
