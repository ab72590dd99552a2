package dev.jpyxis.dist.engine;

import dev.jpyxis.adapters.slurm.engine.ConfigurationCheck;
import dev.jpyxis.adapters.slurm.engine.EpilogRun;
import dev.jpyxis.adapters.slurm.engine.OneRequest;
import dev.jpyxis.adapters.slurm.engine.StepEngine;
import dev.jpyxis.adapters.slurm.engine.StepSession;
import dev.jpyxis.adapters.slurm.engine.SubmitCheck;
import dev.jpyxis.domain.service.ConfigurationChecker;
import dev.jpyxis.domain.service.JobEpilogService;
import dev.jpyxis.domain.service.NodeStepService;
import dev.jpyxis.domain.service.SubmissionValidator;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.Consumer;

/**
 * The engine the native shim starts: {@code submit} (srun/sbatch/salloc checks), {@code step} (one node-step, as the
 * job user) or {@code epilog}. Requests arrive on file descriptor 3 and answers leave on 4; stdout and stderr are
 * never used for the protocol.
 */
public final class EngineMain {

    private EngineMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 1 && args[0].equals("train")) {
            EngineTraining.run();
            return;
        }
        if (args.length != 1) {
            System.err.println("usage: EngineMain submit|step|epilog|config (started by spank_pyxis.so)");
            System.exit(2);
        }
        if (args[0].equals("step")) {
            EngineWarmUp.begin();
        }
        InputStream channelIn;
        OutputStream channelOut;
        try {
            channelIn = ControlChannel.requests(ControlChannel.REQUESTS);
            channelOut = ControlChannel.answers(ControlChannel.ANSWERS);
        } catch (ControlChannel.NotThePlugin notStartedByTheShim) {
            System.err.println("jpyxis engine: " + notStartedByTheShim.getMessage());
            System.exit(2);
            return;
        }
        EngineDebugLog debug = new EngineDebugLog(args[0], EngineDebugLog.currentUid());
        try (InputStream requests = debug.requests(channelIn);
                OutputStream answers = debug.answers(channelOut)) {
            run(args[0], requests, answers);
            debug.ended(null);
        } catch (IOException | RuntimeException | Error failure) {
            debug.ended(failure);
            throw failure;
        }
    }

    static void run(String mode, InputStream requests, OutputStream answers) throws IOException {
        EngineWiring wiring = new EngineWiring();
        switch (mode) {
            case "submit" -> OneRequest.serve(requests, answers,
                    new SubmitCheck(new SubmissionValidator(wiring))::answer);
            case "step" -> {
                EngineSignals.install();
                new StepEngine(new StepSession(new NodeStepService(wiring)), HookStop.fromProperties())
                        .serve(requests, answers);
            }
            case "epilog" -> {
                EngineSignals.install();
                EpilogRun epilog = new EpilogRun(new JobEpilogService(wiring));
                Consumer<String> arrived = HookStop.fromProperties();
                OneRequest.serve(requests, answers, request -> {
                    arrived.accept(request.type());
                    return epilog.answer(request);
                });
            }
            case "config" -> OneRequest.serve(requests, answers,
                    new ConfigurationCheck(new ConfigurationChecker())::answer);
            default -> throw new IllegalArgumentException("unknown engine mode " + mode);
        }
    }
}
