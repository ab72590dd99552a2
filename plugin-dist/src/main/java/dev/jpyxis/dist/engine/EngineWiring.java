package dev.jpyxis.dist.engine;

import dev.jpyxis.adapters.charliecloud.CharliecloudRuntime;
import dev.jpyxis.adapters.charliecloud.CharliecloudTools;
import dev.jpyxis.adapters.charliecloud.RunningContainers;
import dev.jpyxis.adapters.enroot.EnrootRuntime;
import dev.jpyxis.adapters.linux.ExecutableImporter;
import dev.jpyxis.adapters.linux.FileImageCache;
import dev.jpyxis.adapters.linux.EpilogTraces;
import dev.jpyxis.adapters.linux.FileStepLedger;
import dev.jpyxis.adapters.linux.LocalNodeFiles;
import dev.jpyxis.adapters.linux.ProcContainerProcesses;
import dev.jpyxis.adapters.linux.RegistryDigests;
import dev.jpyxis.adapters.slurm.shim.ShimValues;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.config.RuntimeKind;
import dev.jpyxis.domain.port.out.NodePorts;
import dev.jpyxis.domain.port.out.StepPorts;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import dev.jpyxis.domain.port.out.StepLedger;
import dev.jpyxis.exec.CommandRunner;
import java.nio.file.Path;

/** The composition root of the engine: which adapter serves which port. */
public final class EngineWiring implements NodePorts {

    private final CommandRunner runner = new CommandRunner();

    @Override
    public RuntimeTraits traits(RuntimeKind kind) {
        return kind == RuntimeKind.ENROOT ? EnrootRuntime.TRAITS : CharliecloudRuntime.TRAITS;
    }

    @Override
    public ContainerRuntime runtime(PluginConfig config, String daemonPath) {
        if (config.runtime() == RuntimeKind.ENROOT) {
            return new EnrootRuntime(EnrootRuntime.locate(daemonPath), runner, startConfigurations(config));
        }
        return CharliecloudRuntime.inVarTmp(CharliecloudTools.locate(daemonPath), runner, new RunningContainers());
    }

    @Override
    public StepPorts stepPorts(PluginConfig config, long uid, ContainerRuntime runtime) {
        return new StepPorts(runtime, config.importer().map(path -> new ExecutableImporter(path, runner)),
                new ProcContainerProcesses(), new LocalNodeFiles(), ledger(config, uid), System::nanoTime,
                config.imageCache().map(root -> new FileImageCache(Path.of(root), uid)),
                new RegistryDigests(runner, userDirectory(config, uid)), CommandRunner::bytesWritten);
    }

    /**
     * Where enroot's start configuration is written: the user's {@code <runtime_path>/<uid>}, which the task that
     * runs {@code enroot start} sees too, where pyxis uses its {@code /tmp}: with Slurm's {@code job_container/tmpfs}
     * the task's {@code /tmp} is not the engine's (docs/lifecycle.md#who-owns-what-on-disk). {@code /tmp} where the
     * directory does not exist (jpyxis doctor as a user who never ran a step).
     */
    static Path startConfigurations(PluginConfig config) {
        Path own = userDirectory(config, new com.sun.security.auth.module.UnixSystem().getUid());
        return java.nio.file.Files.isDirectory(own) ? own : Path.of("/tmp");
    }

    /** {@code <runtime_path>/<uid>}: the user's private directory on the node, which the shim makes. */
    private static Path userDirectory(PluginConfig config, long uid) {
        return Path.of(config.runtimePath(), Long.toString(uid));
    }

    @Override
    public StepLedger ledger(PluginConfig config, long uid) {
        Path userDirectory = userDirectory(config, uid);
        return new FileStepLedger(userDirectory.resolve("ledger"), new EpilogTraces(userDirectory,
                ShimValues.EPILOG_TRACE_PREFIX, ShimValues.ENDED_TRACE_PREFIX));
    }
}
