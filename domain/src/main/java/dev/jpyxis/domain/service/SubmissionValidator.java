package dev.jpyxis.domain.service;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.lifecycle.RuntimeSupport;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.option.ContainerOptionsParser;
import dev.jpyxis.domain.option.IgnoredOptions;
import dev.jpyxis.domain.option.InvalidOptionException;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.port.in.SubmissionCheck;
import dev.jpyxis.domain.port.in.SubmitCommand;
import dev.jpyxis.domain.port.in.ValidateSubmission;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import java.util.ArrayList;
import java.util.List;

/**
 * Pyxis's submit-side checks: option callbacks in order, then {@code PYXIS_CONTAINER_*} defaults, then the
 * "ignoring" warnings.
 */
public final class SubmissionValidator implements ValidateSubmission {

    @Override
    public SubmissionCheck validate(PluginConfig config, RuntimeTraits runtime, SubmitCommand command,
            List<OptionUse> uses, Environment environment) {
        if (command.isAllocator() && !config.sbatchSupport() && !uses.isEmpty()) {
            // pyxis does not even register its options in sbatch/salloc then, so the client refuses them
            return rejected(List.of("pyxis: " + uses.get(0).option().flag() + ": not available in "
                    + command.command() + " because sbatch_support is disabled"));
        }
        ContainerOptionsParser parser = new ContainerOptionsParser();
        try {
            uses.forEach(parser::accept);
        } catch (InvalidOptionException rejected) {
            return rejected(rejected.lines());
        }
        List<Diagnostic> diagnostics = new ArrayList<>(parser.applyEnvironmentDefaults(environment::get));
        var options = parser.result();
        diagnostics.addAll(IgnoredOptions.warnings(options));
        if (options.isEnabled()) {
            List<String> refused = RuntimeSupport.refusals(options, config, runtime);
            if (!refused.isEmpty()) {
                diagnostics.addAll(refused.stream().map(Diagnostic::error).toList());
                return new SubmissionCheck.Rejected(diagnostics);
            }
        }
        return new SubmissionCheck.Accepted(options, diagnostics);
    }

    private static SubmissionCheck rejected(List<String> lines) {
        return new SubmissionCheck.Rejected(lines.stream().map(Diagnostic::error).toList());
    }
}
