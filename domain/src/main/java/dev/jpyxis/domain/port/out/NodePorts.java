package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.config.PluginConfig;

/** What a node offers the domain: the runtime a plugstack line names, and the adapters a step or a job epilog uses. */
public interface NodePorts extends RuntimeCatalog {

    /** @param daemonPath the {@code PATH} where the runtime's programs are looked up */
    ContainerRuntime runtime(PluginConfig config, String daemonPath);

    /** The ports of one step of user {@code uid}, around the runtime it uses. */
    StepPorts stepPorts(PluginConfig config, long uid, ContainerRuntime runtime);

    /** The ownership ledger of user {@code uid} on this node. */
    StepLedger ledger(PluginConfig config, long uid);
}
