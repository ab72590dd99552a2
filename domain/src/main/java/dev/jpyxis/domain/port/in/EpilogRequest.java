package dev.jpyxis.domain.port.in;

import java.util.List;

/**
 * A job's end on one node.
 *
 * @param pluginArguments the {@code key=value} arguments after the plugin's path on the plugstack line
 */
public record EpilogRequest(List<String> pluginArguments, long uid, long jobId) {

    public EpilogRequest {
        pluginArguments = List.copyOf(pluginArguments);
    }
}
