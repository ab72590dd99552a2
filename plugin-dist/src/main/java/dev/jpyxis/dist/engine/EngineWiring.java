package dev.jpyxis.dist.engine;

import dev.jpyxis.adapters.enroot.EnrootRuntime;
import dev.jpyxis.adapters.slurm.node.ExecutableImporter;
import dev.jpyxis.adapters.slurm.node.FileStepLedger;
import dev.jpyxis.adapters.slurm.node.LocalNodeFiles;
import dev.jpyxis.adapters.slurm.node.ProcContainerProcesses;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.config.RuntimeKind;
import dev.jpyxis.domain.lifecycle.StepPorts;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.StepLedger;
import dev.jpyxis.domain.step.StepContext;
import dev.jpyxis.exec.CommandRunner;
import java.nio.file.Path;

/** The composition root of the engine: which adapter serves which port. */
final class EngineWiring {

    private final CommandRunner runner = new CommandRunner();

    ContainerRuntime runtime(PluginConfig config, String daemonPath) {
        if (config.runtime() == RuntimeKind.ENROOT) {
            return new EnrootRuntime(EnrootRuntime.locate(daemonPath), runner, Path.of("/tmp"));
        }
        throw new IllegalStateException("runtime " + config.runtime().keyword() + " is not available");
    }

    StepPorts ports(PluginConfig config, StepContext step, ContainerRuntime runtime) {
        return new StepPorts(runtime, config.importer().map(path -> new ExecutableImporter(path, runner)),
                new ProcContainerProcesses(), new LocalNodeFiles(), ledgerOf(config, step.uid()), System::nanoTime);
    }

    StepLedger ledgerOf(PluginConfig config, long uid) {
        return new FileStepLedger(Path.of(config.runtimePath(), Long.toString(uid), "ledger"));
    }
}
