package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.PlanEncoding;
import dev.jpyxis.domain.config.InvalidConfigurationException;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.lifecycle.JobEpilog;
import dev.jpyxis.domain.lifecycle.StepEnd;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.StepLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * The job epilog on a node, run as the job's user without supplementary groups: with {@code container_scope=job},
 * the job's containers go. The runtime gets a fixed {@code PATH} and no {@code HOME}, so it derives its paths from
 * the user's passwd entry (reference §3.12).
 */
public final class EpilogRun {

    static final String EPILOG_PATH = "/usr/local/bin:/usr/bin:/bin";

    private final RuntimeProvider runtimes;
    private final BiFunction<PluginConfig, Long, StepLedger> ledgers;

    public EpilogRun(RuntimeProvider runtimes, BiFunction<PluginConfig, Long, StepLedger> ledgers) {
        this.runtimes = runtimes;
        this.ledgers = ledgers;
    }

    public Message answer(Message request) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        PluginConfig config;
        try {
            config = PluginConfig.parse(request.all("config"));
        } catch (InvalidConfigurationException invalid) {
            invalid.lines().forEach(line -> diagnostics.add(Diagnostic.error(line)));
            diagnostics.add(Diagnostic.error("pyxis: epilog: failed to parse configuration"));
            return answer("failed", diagnostics);
        }
        RuntimeInvocation invocation = new RuntimeInvocation(Environment.of("PATH", EPILOG_PATH), "/");
        StepLedger ledger = ledgers.apply(config, request.requireLong("uid"));
        StepEnd end = new JobEpilog(config, runtimes.runtime(config, EPILOG_PATH), Optional.of(ledger))
                .run(request.requireLong("job"), invocation);
        diagnostics.addAll(end.diagnostics());
        return answer(end.failed() ? "failed" : "ok", diagnostics);
    }

    private static Message answer(String status, List<Diagnostic> diagnostics) {
        return PlanEncoding.addLogs(Message.builder("epilog").add("status", status), diagnostics).build();
    }
}
