package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.PlanEncoding;
import dev.jpyxis.domain.config.InvalidConfigurationException;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.message.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * slurmd's start (reference §2: pyxis parses its configuration in slurmd's init and fails it): a plugstack line the
 * plugin cannot read stops slurmd there, with pyxis's messages, instead of failing every step and epilog later.
 */
public final class ConfigurationCheck {

    public Message answer(Message request) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        String status = "ok";
        try {
            PluginConfig.parse(request.all("config"));
        } catch (InvalidConfigurationException invalid) {
            invalid.lines().forEach(line -> diagnostics.add(Diagnostic.error(line)));
            diagnostics.add(Diagnostic.error("pyxis: failed to parse configuration"));
            status = "failed";
        }
        return PlanEncoding.addLogs(Message.builder("config").add("status", status), diagnostics).build();
    }
}
