package dev.jpyxis.dist.engine;

import dev.jpyxis.adapters.slurm.engine.SubmitCheck;
import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.adapters.slurm.protocol.PlanEncoding;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.lifecycle.RemoteOptions;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.plan.TaskPlan;
import dev.jpyxis.domain.service.SubmissionValidator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;

/**
 * The workload {@code jpyxis install} runs once to record the JVM's startup cache: the classes the engine loads on
 * every step (protocol, option checks, step decisions, plan encoding), exercised without touching the node.
 */
final class EngineTraining {

    private EngineTraining() {
    }

    static void run() throws IOException {
        Message submit = Message.builder("submit").add("command", "srun").add("protocol", "1")
                .add("config", "container_scope=job").add("opt.container-image", "ubuntu:24.04")
                .add("opt.container-mounts", "/data:/data:ro").add("env", "PYXIS_CONTAINER_WORKDIR=/w").build();
        Message answer = new SubmitCheck(new SubmissionValidator(), new EngineWiring()::traits).answer(
                MessageCodec.read(new ByteArrayInputStream(MessageCodec.encode(submit))));
        MessageCodec.encode(answer);
        PluginConfig.parse(List.of("runtime_path=/run/pyxis", "use_squashfuse=0"));
        RemoteOptions.read(List.of(OptionUse.of(ContainerOption.IMAGE, "/x.sqsh"),
                OptionUse.of(ContainerOption.NAME, "dev:exec")), Environment.of("PWD", "/"));
        MessageCodec.encode(PlanEncoding.encode(TaskPlan.of(
                new TaskOperation.SetVariable("A", "1"), new TaskOperation.UnsetVariable("LANG"),
                new TaskOperation.ChangeDirectory("/", "x"), new TaskOperation.InstallSeccompFilter("x"),
                new TaskOperation.Report(TaskOperation.Checkpoint.JOINED))));
    }
}
