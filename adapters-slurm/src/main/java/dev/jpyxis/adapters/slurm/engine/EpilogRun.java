package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.adapters.slurm.protocol.PlanEncoding;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.in.EpilogRequest;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.in.RunJobEpilog;

/** The job epilog's request, translated for the domain's {@link RunJobEpilog}, and its answer. */
public final class EpilogRun {

    private final RunJobEpilog epilog;

    public EpilogRun(RunJobEpilog epilog) {
        this.epilog = epilog;
    }

    public Message answer(Message request) {
        MessageCodec.requireProtocol(request);
        HookOutcome outcome = epilog.run(new EpilogRequest(request.all("config"), request.requireLong("uid"),
                request.requireLong("job"), Environment.fromEntries(request.all("env"))));
        return PlanEncoding.addLogs(Message.builder("epilog").add("status", outcome.failed() ? "failed" : "ok"),
                outcome.diagnostics()).build();
    }
}
