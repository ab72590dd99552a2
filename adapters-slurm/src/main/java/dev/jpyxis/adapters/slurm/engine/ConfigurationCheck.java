package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.adapters.slurm.protocol.PlanEncoding;
import dev.jpyxis.domain.port.in.CheckConfiguration;
import dev.jpyxis.domain.port.in.HookOutcome;

/** slurmd's start: the plugstack line, translated for the domain's {@link CheckConfiguration}, and its answer. */
public final class ConfigurationCheck {

    private final CheckConfiguration check;

    public ConfigurationCheck(CheckConfiguration check) {
        this.check = check;
    }

    public Message answer(Message request) {
        MessageCodec.requireProtocol(request);
        HookOutcome outcome = check.check(request.all("config"));
        return PlanEncoding.addLogs(Message.builder("config").add("status", outcome.failed() ? "failed" : "ok"),
                outcome.diagnostics()).build();
    }
}
