package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import java.util.List;

/**
 * Checks the container options of a submission (srun, sbatch, salloc) before anything is submitted, exactly as
 * pyxis's option callbacks and {@code init_post_opt} do on the submit side.
 */
public interface ValidateSubmission {

    /**
     * @param config      the plugin configuration in effect
     * @param runtime     what the configured container runtime can do
     * @param command     the client the options were given to
     * @param uses        the container options as given, in command-line order
     * @param environment the submitting process's environment, for {@code PYXIS_CONTAINER_*} defaults
     */
    SubmissionCheck validate(PluginConfig config, RuntimeTraits runtime, SubmitCommand command, List<OptionUse> uses,
            Environment environment);
}
