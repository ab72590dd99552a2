package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.PlanEncoding;
import dev.jpyxis.domain.config.InvalidConfigurationException;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.in.SubmissionCheck;
import dev.jpyxis.domain.port.in.SubmitCommand;
import dev.jpyxis.domain.port.in.ValidateSubmission;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The shim's question in srun, sbatch and salloc: are these container options acceptable? Answered before anything
 * is submitted, with pyxis's messages.
 */
public final class SubmitCheck {

    private final ValidateSubmission validator;
    private final Function<PluginConfig, RuntimeTraits> runtimes;

    public SubmitCheck(ValidateSubmission validator, Function<PluginConfig, RuntimeTraits> runtimes) {
        this.validator = validator;
        this.runtimes = runtimes;
    }

    public Message answer(Message request) {
        SubmitCommand command = Arrays.stream(SubmitCommand.values())
                .filter(c -> c.command().equals(request.get("command").orElse("srun"))).findFirst()
                .orElse(SubmitCommand.SBATCH);
        List<Diagnostic> diagnostics = new ArrayList<>();
        PluginConfig config;
        try {
            config = PluginConfig.parse(request.all("config"));
        } catch (InvalidConfigurationException invalid) {
            if (command.isAllocator()) {
                invalid.lines().forEach(line -> diagnostics.add(Diagnostic.error(line)));
                diagnostics.add(Diagnostic.error("pyxis: failed to parse configuration"));
                return answer("rejected", diagnostics);
            }
            config = PluginConfig.defaults(); // srun does not read the configuration, as in pyxis
        }
        SubmissionCheck check = validator.validate(config, runtimes.apply(config), command, OptionFields.uses(request),
                Environment.fromEntries(request.all("env")));
        diagnostics.addAll(check.diagnostics());
        return answer(check instanceof SubmissionCheck.Accepted ? "ok" : "rejected", diagnostics);
    }

    private static Message answer(String status, List<Diagnostic> diagnostics) {
        return PlanEncoding.addLogs(Message.builder("submit").add("status", status), diagnostics).build();
    }
}
