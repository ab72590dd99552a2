package dev.jpyxis.domain.service;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.internal.lifecycle.RemoteOptions;
import dev.jpyxis.domain.internal.lifecycle.RuntimeSupport;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.internal.option.OptionsReading;
import dev.jpyxis.domain.internal.step.StepContext;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.Severity;
import dev.jpyxis.domain.port.in.RunNodeStep;
import dev.jpyxis.domain.port.in.StepLaunch;
import dev.jpyxis.domain.port.in.StepOpening;
import dev.jpyxis.domain.port.out.NodePorts;
import dev.jpyxis.domain.port.out.SetupProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Opens a step on a node: the configuration, then the options Slurm forwarded and the job's {@code PYXIS_CONTAINER_*}
 * variables, then what the configured runtime cannot do. Options reaching the step only through the job's environment
 * are refused here, as the client could not see them.
 */
public final class NodeStepService implements RunNodeStep {

    private final NodePorts node;

    public NodeStepService(NodePorts node) {
        this.node = node;
    }

    @Override
    public StepOpening open(StepLaunch launch) {
        return open(launch, SetupProgress.NONE);
    }

    @Override
    public StepOpening open(StepLaunch launch, SetupProgress progress) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Optional<PluginConfig> read = PluginArguments.read(launch.pluginArguments(), "pyxis: ", diagnostics);
        if (read.isEmpty()) {
            return new StepOpening.Refused(diagnostics);
        }
        PluginConfig config = read.get();
        OptionsReading options = RemoteOptions.read(launch.options(), launch.jobEnvironment());
        diagnostics.addAll(options.diagnostics());
        String userDirectory = config.runtimePath() + "/" + launch.identity().uid();
        if (options instanceof OptionsReading.Rejected) {
            return new StepOpening.Opened(new RefusedNodeStep(errors(diagnostics)), userDirectory, diagnostics);
        }
        Optional<ContainerOptions> enabled = options.enabled();
        if (enabled.isEmpty()) {
            return new StepOpening.WithoutContainer(diagnostics);
        }
        List<String> refused = RuntimeSupport.refusals(enabled.get(), config, node.traits(config.runtime()));
        if (!refused.isEmpty()) {
            refused.forEach(line -> diagnostics.add(Diagnostic.error(line)));
            return new StepOpening.Opened(new RefusedNodeStep(errors(diagnostics)), userDirectory, diagnostics);
        }
        StepContext.jobCwdProblem(launch.jobEnvironment()).ifPresent(line -> diagnostics.add(Diagnostic.info(line)));
        OpenedNodeStep step = new OpenedNodeStep(config, launch, enabled.get(), node,
                node.runtime(config, launch.daemonPath()), progress);
        return new StepOpening.Opened(step, userDirectory, diagnostics);
    }

    private static List<Diagnostic> errors(List<Diagnostic> diagnostics) {
        return diagnostics.stream().filter(diagnostic -> diagnostic.severity() == Severity.ERROR).toList();
    }
}
