package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.option.OptionUse;
import java.util.List;
import java.util.Objects;

/**
 * A submission as the plugin meets it in srun, sbatch or salloc.
 *
 * @param pluginArguments the {@code key=value} arguments after the plugin's path on the plugstack line
 * @param command         the client the options were given to
 * @param options         the container options as given, in command-line order
 * @param environment     the submitting process's environment, for {@code PYXIS_CONTAINER_*} defaults
 */
public record SubmitRequest(List<String> pluginArguments, SubmitCommand command, List<OptionUse> options,
        Environment environment) {

    public SubmitRequest {
        pluginArguments = List.copyOf(pluginArguments);
        Objects.requireNonNull(command, "command");
        options = List.copyOf(options);
        Objects.requireNonNull(environment, "environment");
    }
}
