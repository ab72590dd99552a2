package dev.jpyxis.domain.service;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.internal.lifecycle.JobEpilog;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.in.EpilogRequest;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.in.RunJobEpilog;
import dev.jpyxis.domain.port.out.NodePorts;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The job epilog on a node, run as the job's user without supplementary groups. The runtime gets the epilog process's
 * environment without {@code HOME}, so it derives its paths from the user's passwd entry, and with a {@code PATH}
 * when Slurm gave none, as under pyxis's epilog (docs/pyxis-compatibility.md#job-epilog).
 */
public final class JobEpilogService implements RunJobEpilog {

    /** The epilog's {@code PATH} when its process has none (upstream {@code pyxis_slurmd.c:160}). */
    public static final String EPILOG_PATH = "/usr/local/bin:/usr/bin:/bin";

    private final NodePorts node;

    public JobEpilogService(NodePorts node) {
        this.node = node;
    }

    @Override
    public HookOutcome run(EpilogRequest request) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        Optional<PluginConfig> config = PluginArguments.read(request.pluginArguments(), "pyxis: epilog: ",
                diagnostics);
        if (config.isEmpty()) {
            return new HookOutcome(diagnostics, true);
        }
        Environment environment = runtimeEnvironment(request.environment());
        RuntimeInvocation invocation = new RuntimeInvocation(environment, "/");
        HookOutcome end = new JobEpilog(config.get(), node.runtime(config.get(), environment.get("PATH").orElseThrow()),
                Optional.of(node.ledger(config.get(), request.uid()))).run(request.jobId(), invocation);
        diagnostics.addAll(end.diagnostics());
        return new HookOutcome(diagnostics, end.failed());
    }

    /** The epilog process's environment without {@code HOME}, with {@link #EPILOG_PATH} when it has no {@code PATH}. */
    static Environment runtimeEnvironment(Environment epilogProcess) {
        Environment environment = epilogProcess.without("HOME");
        return environment.contains("PATH") ? environment : environment.with("PATH", EPILOG_PATH);
    }
}
