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
 * The job epilog on a node, run as the job's user without supplementary groups. The runtime gets a fixed {@code PATH}
 * and no {@code HOME}, so it derives its paths from the user's passwd entry, as under pyxis's epilog.
 */
public final class JobEpilogService implements RunJobEpilog {

    /** The epilog's {@code PATH}: slurmd's own is not the job's business. */
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
        RuntimeInvocation invocation = new RuntimeInvocation(Environment.of("PATH", EPILOG_PATH), "/");
        HookOutcome end = new JobEpilog(config.get(), node.runtime(config.get(), EPILOG_PATH),
                Optional.of(node.ledger(config.get(), request.uid()))).run(request.jobId(), invocation);
        diagnostics.addAll(end.diagnostics());
        return new HookOutcome(diagnostics, end.failed());
    }
}
