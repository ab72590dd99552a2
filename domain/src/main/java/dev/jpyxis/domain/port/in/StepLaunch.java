package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.option.OptionUse;
import java.util.List;
import java.util.Objects;

/**
 * slurmstepd's {@code init_post_opt} on one node: what the plugin is told before any task exists.
 *
 * @param pluginArguments the {@code key=value} arguments after the plugin's path on the plugstack line
 * @param options         the container options Slurm forwarded, in the order it delivered them
 * @param jobEnvironment  the job's environment, for {@code PYXIS_CONTAINER_*} defaults
 * @param daemonPath      slurmstepd's {@code PATH}, where the runtime's programs are looked up
 * @param node            the node's name (its host name), as the plugin's messages name it
 */
public record StepLaunch(List<String> pluginArguments, StepIdentity identity, List<OptionUse> options,
        Environment jobEnvironment, String daemonPath, String node) {

    public StepLaunch {
        pluginArguments = List.copyOf(pluginArguments);
        Objects.requireNonNull(identity, "identity");
        options = List.copyOf(options);
        Objects.requireNonNull(jobEnvironment, "jobEnvironment");
        Objects.requireNonNull(daemonPath, "daemonPath");
        Objects.requireNonNull(node, "node");
    }
}
