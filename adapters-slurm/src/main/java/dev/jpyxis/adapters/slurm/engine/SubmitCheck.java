package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.adapters.slurm.protocol.PlanEncoding;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.in.SubmissionCheck;
import dev.jpyxis.domain.port.in.SubmitCommand;
import dev.jpyxis.domain.port.in.SubmitRequest;
import dev.jpyxis.domain.port.in.ValidateSubmission;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The shim's question in srun, sbatch and salloc (are these container options acceptable?), translated for the
 * domain's {@link ValidateSubmission}, and its answer. The answer depends on the request alone, so it is also kept
 * where the shim asks ({@code verdict_file}): the same request under the same build is then answered from there.
 */
public final class SubmitCheck {

    private final ValidateSubmission validator;

    public SubmitCheck(ValidateSubmission validator) {
        this.validator = validator;
    }

    public Message answer(Message request) {
        MessageCodec.requireProtocol(request);
        String client = request.get("command").orElse("srun");
        SubmitCommand command = Arrays.stream(SubmitCommand.values()).filter(c -> c.command().equals(client))
                .findFirst().orElse(SubmitCommand.SBATCH);
        SubmissionCheck check = validator.validate(new SubmitRequest(request.all("config"), command,
                OptionFields.uses(request), Environment.fromEntries(request.all("env"))));
        String status = check instanceof SubmissionCheck.Accepted ? "ok" : "rejected";
        Message answer = PlanEncoding.addLogs(Message.builder("submit").add("status", status), check.diagnostics())
                .build();
        request.get("verdict_file").map(Path::of).ifPresent(file -> Verdicts.keep(file, answer));
        return answer;
    }
}
