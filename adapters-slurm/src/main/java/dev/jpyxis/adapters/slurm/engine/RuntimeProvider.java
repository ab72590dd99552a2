package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.RuntimeTraits;

/** Supplies the container runtime the configuration names; implemented by the composition root. */
public interface RuntimeProvider {

    /** What the configured runtime can do, known without touching the node. */
    RuntimeTraits traits(PluginConfig config);

    /**
     * @param daemonPath the {@code PATH} of slurmstepd, where the runtime's programs are looked up
     */
    ContainerRuntime runtime(PluginConfig config, String daemonPath);
}
