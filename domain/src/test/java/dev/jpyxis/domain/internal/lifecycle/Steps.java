package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.in.StepIdentity;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.internal.option.ContainerOptionsParser;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.port.out.CommandWrites;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.SetupProgress;
import dev.jpyxis.domain.internal.step.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Test helpers to build steps, options and node-steps. */
final class Steps {

    static final String DAEMON_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    private Steps() {
    }

    static StepContext step(long jobId, long stepId, int localTasks) {
        return step(jobId, stepId, localTasks, localTasks, 1000, Environment.of("PWD", "/home/u/work", "HOME",
                "/home/u", "SLURM_JOB_ID", Long.toString(jobId)));
    }

    static StepContext step(long jobId, long stepId, int localTasks, int totalTasks, long uid, Environment env) {
        return new StepContext(uid, 100, List.of(100L), jobId, stepId, localTasks, totalTasks, 0, env, "/home/u/work",
                stepId == StepIdentity.BATCH_STEP ? Optional.of("/var/spool/slurmd/job00012/slurm_script")
                        : Optional.empty());
    }

    static ContainerOptions options(String... args) {
        List<OptionUse> uses = new ArrayList<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            ContainerOption option = ContainerOption.byName(equals < 0 ? arg : arg.substring(0, equals)).orElseThrow();
            uses.add(OptionUse.of(option, equals < 0 ? null : arg.substring(equals + 1)));
        }
        return ContainerOptionsParser.parse(uses);
    }

    static RuntimeInvocation invocation(StepContext step) {
        return new RuntimeInvocation(step.jobEnvironment(), step.workingDirectory());
    }

    static PreparedStep prepare(FakeNode node, PluginConfig config, StepContext step, ContainerOptions options) {
        return new StepPreparation(config, node, node, node).prepare(step, options, invocation(step));
    }

    static NodeStep nodeStep(FakeNode node, PluginConfig config, StepContext step, ContainerOptions options) {
        return new NodeStep(step, config, node.ports(config.importer().isPresent()), DAEMON_PATH,
                prepare(node, config, step, options));
    }

    /** Progress lines shown on {@code terminal} as node7's, without the periodic line. */
    static ProgressLines progress(SetupProgress terminal) {
        return new ProgressLines(terminal, () -> 0, CommandWrites.NONE, 0, "node7");
    }

    static Environment taskEnv(int localTask) {
        return Environment.of("PATH", "/home/u/bin", "SLURM_PROCID", Integer.toString(localTask), "SLURM_LOCALID",
                Integer.toString(localTask), "LANG", "en_US.UTF-8", "TASKVAR", "t" + localTask);
    }
}
