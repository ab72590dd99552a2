package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.env.Environment;
import java.util.List;
import java.util.Objects;

/**
 * A job's end on one node.
 *
 * @param pluginArguments the {@code key=value} arguments after the plugin's path on the plugstack line
 * @param environment     the epilog process's own environment, as Slurm gave it
 */
public record EpilogRequest(List<String> pluginArguments, long uid, long jobId, Environment environment) {

    public EpilogRequest {
        pluginArguments = List.copyOf(pluginArguments);
        Objects.requireNonNull(environment, "environment");
    }
}
