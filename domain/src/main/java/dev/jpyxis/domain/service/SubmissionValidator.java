package dev.jpyxis.domain.service;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.internal.lifecycle.RuntimeSupport;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.internal.option.ContainerOptionsParser;
import dev.jpyxis.domain.internal.option.IgnoredOptions;
import dev.jpyxis.domain.internal.option.InvalidOptionException;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.in.SubmissionCheck;
import dev.jpyxis.domain.port.in.SubmitRequest;
import dev.jpyxis.domain.port.in.ValidateSubmission;
import dev.jpyxis.domain.port.out.RuntimeCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pyxis's submit-side checks: option callbacks in order, then {@code PYXIS_CONTAINER_*} defaults, then the
 * "ignoring" warnings, then what the configured runtime cannot do.
 */
public final class SubmissionValidator implements ValidateSubmission {

    private final RuntimeCatalog runtimes;

    public SubmissionValidator(RuntimeCatalog runtimes) {
        this.runtimes = runtimes;
    }

    @Override
    public SubmissionCheck validate(SubmitRequest request) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        PluginConfig config;
        if (request.command().isAllocator()) {
            Optional<PluginConfig> read = PluginArguments.read(request.pluginArguments(), "pyxis: ", diagnostics);
            if (read.isEmpty()) {
                return new SubmissionCheck.Rejected(diagnostics);
            }
            config = read.get();
        } else {
            // pyxis reads its configuration in srun only for what srun never needs: an unreadable line is the nodes'
            config = PluginArguments.read(request.pluginArguments(), "", new ArrayList<>())
                    .orElse(PluginConfig.defaults());
        }
        if (request.command().isAllocator() && !config.sbatchSupport() && !request.options().isEmpty()) {
            // pyxis does not even register its options in sbatch/salloc then, so the client refuses them
            return rejected(List.of("pyxis: " + request.options().get(0).option().flag() + ": not available in "
                    + request.command().command() + " because sbatch_support is disabled"));
        }
        ContainerOptionsParser parser = new ContainerOptionsParser();
        try {
            request.options().forEach(parser::accept);
        } catch (InvalidOptionException rejected) {
            return rejected(rejected.lines());
        }
        diagnostics.addAll(parser.applyEnvironmentDefaults(request.environment()::get));
        ContainerOptions options = parser.result();
        diagnostics.addAll(IgnoredOptions.warnings(options));
        if (options.isEnabled()) {
            List<String> refused = RuntimeSupport.refusals(options, config, runtimes.traits(config.runtime()));
            if (!refused.isEmpty()) {
                diagnostics.addAll(refused.stream().map(Diagnostic::error).toList());
                return new SubmissionCheck.Rejected(diagnostics);
            }
        }
        return new SubmissionCheck.Accepted(options.normalizedArguments(), diagnostics);
    }

    private static SubmissionCheck rejected(List<String> lines) {
        return new SubmissionCheck.Rejected(lines.stream().map(Diagnostic::error).toList());
    }
}
