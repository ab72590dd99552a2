package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.port.out.ContainerRuntime;

/** Supplies the container runtime the configuration names; implemented by the composition root. */
@FunctionalInterface
public interface RuntimeProvider {

    /**
     * @param daemonPath the {@code PATH} of slurmstepd, where the runtime's programs are looked up
     */
    ContainerRuntime runtime(PluginConfig config, String daemonPath);
}
