package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.internal.option.ContainerOptionsParser;
import dev.jpyxis.domain.internal.option.IgnoredOptions;
import dev.jpyxis.domain.internal.option.InvalidOptionException;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.internal.option.OptionsReading;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of a step as slurmstepd sees them (docs/pyxis-compatibility.md#submission-contexts): the values Slurm
 * forwarded, in order, then {@code PYXIS_CONTAINER_*} from the job environment. Pyxis reads those through a 4096-byte
 * buffer, so longer values count as absent.
 *
 * <p>Slurm delivers each option to slurmstepd twice, from the launch message and from the job environment
 * ({@code SLURM_SPANK_OPTION_*}). Exact repeats are therefore dropped here: for every option but one they change
 * nothing, and for {@code --container-name=NAME:FLAG} pyxis's repeat check would otherwise refuse the step.
 */
public final class RemoteOptions {

    private static final int ENV_BUFFER = 4096;

    private RemoteOptions() {
    }

    public static OptionsReading read(List<OptionUse> forwarded, Environment jobEnvironment) {
        ContainerOptionsParser parser = new ContainerOptionsParser();
        try {
            forwarded.stream().distinct().forEach(parser::accept);
        } catch (InvalidOptionException rejected) {
            return new OptionsReading.Rejected(rejected.lines().stream().map(Diagnostic::error).toList());
        }
        List<Diagnostic> diagnostics = new ArrayList<>(parser.applyEnvironmentDefaults(name -> jobEnvironment.get(name)
                .filter(value -> value.getBytes(StandardCharsets.UTF_8).length < ENV_BUFFER)));
        ContainerOptions options = parser.result();
        diagnostics.addAll(IgnoredOptions.warnings(options));
        return new OptionsReading.Read(options, diagnostics);
    }

}
