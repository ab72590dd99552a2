package dev.jpyxis.simulator.slurm;

import dev.jpyxis.domain.config.ContainerScope;
import dev.jpyxis.domain.client.BatchScript;
import dev.jpyxis.domain.client.RefusedCommandLineException;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.port.in.SubmissionCheck;
import dev.jpyxis.domain.port.in.SubmitCommand;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import dev.jpyxis.domain.port.in.EpilogRequest;
import dev.jpyxis.domain.port.in.StepIdentity;
import dev.jpyxis.domain.port.in.SubmitRequest;
import dev.jpyxis.domain.service.JobEpilogService;
import dev.jpyxis.domain.service.SubmissionValidator;
import dev.jpyxis.simulator.node.SimulatedKernel;
import dev.jpyxis.simulator.node.SimulatedNode;
import dev.jpyxis.simulator.node.DiskFiles;
import dev.jpyxis.simulator.report.TimelineEvent;
import dev.jpyxis.simulator.scenario.Scenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.BiConsumer;

/**
 * A simulated Slurm: submits srun, salloc and sbatch command lines the way the plugin meets them (the submit-side
 * check in the client, then each step on its nodes), ends jobs with the job epilog, and crashes nodes.
 */
public final class SimulatedSlurm {

    /** What sbatch's messages call a scenario's batch script. */
    static final String SCRIPT_NAME = "script";

    private final Scenario.Cluster cluster;
    private final PluginConfig config;
    private final Map<String, SimulatedNode> nodes;
    private final RuntimeTraits traits;
    private final Random random;
    private long nextJob = 100;

    public SimulatedSlurm(Scenario.Cluster cluster, Map<String, SimulatedNode> nodes, Random random) {
        this.cluster = cluster;
        this.config = cluster.plugstack();
        this.traits = nodes.values().iterator().next().runtime().traits();
        this.nodes = nodes;
        this.random = random;
    }

    /** The home of a user, where their jobs run (their working directory). */
    public static String workingDirectory(String user) {
        return "/home/" + user;
    }

    /** {@code srun} outside any allocation: a job of one step, ended right after. */
    public StepResult srun(Scenario.Srun srun) {
        StepResult result = new StepResult();
        Optional<SrunLine> line = parse(srun.commandLine(), SubmitCommand.SRUN, result);
        Environment env = userEnvironment(srun.environment());
        if (line.isEmpty() || !submitted(SubmitCommand.SRUN, line.get().options(), env, result)) {
            return result;
        }
        Job job = allocate(srun.user(), line.get());
        result.add(step(job, 0, line.get(), List.of(), env, srun.faults()));
        endJob(job);
        return result;
    }

    /**
     * {@code salloc}: its options hold for every step, which run in order; the job ends after the last. A background
     * step's tasks stay alive (so its container is running) until the allocation ends.
     *
     * @param stepDone told of each step as soon as it is over (a background step: once its commands have run), before
     *                 the next one runs
     * @return the result of the whole allocation: salloc itself, every step, the end of the background steps
     */
    public StepResult salloc(Scenario.Salloc salloc, BiConsumer<Scenario.Srun, StepResult> stepDone) {
        StepResult allocationResult = new StepResult();
        Optional<SrunLine> allocation = parse(salloc.allocation(), SubmitCommand.SALLOC, allocationResult);
        if (allocation.isEmpty() || !submitted(SubmitCommand.SALLOC, allocation.get().options(),
                userEnvironment(Map.of()), allocationResult)) {
            return allocationResult;
        }
        Job job = allocate(salloc.user(), allocation.get());
        long stepId = 0;
        List<StepRun> background = new ArrayList<>();
        for (Scenario.Srun srun : salloc.steps()) {
            StepResult result = new StepResult();
            Optional<SrunLine> line = parse(srun.commandLine(), SubmitCommand.SRUN, result);
            Environment env = userEnvironment(srun.environment());
            if (line.isPresent() && submitted(SubmitCommand.SRUN, withInherited(allocation.get().options(),
                    line.get()), env, result)) {
                Optional<StepRun> running = startStep(job, stepId++, line.get().within(allocation.get()),
                        allocation.get().options(), env, srun.faults(), result);
                if (running.isPresent() && srun.background()) {
                    background.add(running.get());
                } else {
                    running.ifPresent(step -> step.end(result));
                }
            }
            stepDone.accept(srun, result);
            allocationResult.add(result);
        }
        background.forEach(step -> step.end(allocationResult));
        endJob(job);
        return allocationResult;
    }

    /** {@code sbatch}: the batch step runs the script (in the container if asked), srun lines become steps. */
    public StepResult sbatch(Scenario.Sbatch sbatch) {
        List<String> body = new ArrayList<>();
        for (String line : sbatch.script().split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                body.add(trimmed);
            }
        }
        StepResult result = new StepResult();
        Optional<SrunLine> batchOptions;
        try {
            batchOptions = Optional.of(SrunLine.of(BatchScript.options(SCRIPT_NAME, sbatch.script(),
                    config.sbatchSupport()), nodes.keySet()));
            batchOptions.get().layout(nodes.size());
        } catch (RefusedCommandLineException refused) {
            batchOptions = refused(refused.lines(), result);
        } catch (SrunLine.RefusedException refused) {
            batchOptions = refused(refused.lines(), result);
        }
        Environment env = userEnvironment(sbatch.environment());
        if (batchOptions.isEmpty() || !submitted(SubmitCommand.SBATCH, batchOptions.get().options(), env, result)) {
            return result;
        }
        List<OptionUse> inherited = batchOptions.get().options();
        SrunLine allocation = batchOptions.get();
        Job job = allocate(sbatch.user(), batchOptions.get());
        writeScript(job, sbatch.script());
        StepResult steps = new StepResult();
        long[] stepId = {0};
        StepResult batch = new StepRun(cluster.pluginArguments(), random, List.of()).run(job, StepIdentity.BATCH_STEP, List.of(1),
                inherited, env, List.of(), task -> {
                    for (String command : body) {
                        List<String> words = CommandLine.words(command);
                        if (!words.get(0).equals("srun")) {
                            task.run(words);
                            continue;
                        }
                        StepResult nested = new StepResult();
                        Optional<SrunLine> line = parse(words.subList(1, words.size()), SubmitCommand.SRUN, nested);
                        if (line.isPresent() && submitted(SubmitCommand.SRUN, withInherited(inherited, line.get()),
                                env, nested)) {
                            nested.add(step(job, stepId[0]++, line.get().within(allocation), inherited, env,
                                    List.of()));
                        }
                        // the script's status is its last command's, here srun's
                        task.exitCode = nested.exit;
                        steps.add(nested);
                    }
                });
        result.add(batch);
        result.add(steps);
        endJob(job);
        return result;
    }

    /**
     * What an srun inside an allocation hands its plugin: the allocation's options, which salloc and sbatch export
     * to it ({@code SLURM_SPANK_*}), with its own; srun refuses a conflict before anything is launched.
     */
    private static List<OptionUse> withInherited(List<OptionUse> inherited, SrunLine line) {
        List<OptionUse> uses = new ArrayList<>(inherited);
        uses.addAll(line.options());
        return uses;
    }

    private StepResult step(Job job, long stepId, SrunLine line, List<OptionUse> inherited, Environment env,
            List<Scenario.Fault> faults) {
        StepResult result = new StepResult();
        startStep(job, stepId, line, inherited, env, faults, result).ifPresent(step -> step.end(result));
        return result;
    }

    /** A step up to its commands having run, or empty (after srun's complaint) when it cannot be created. */
    private Optional<StepRun> startStep(Job job, long stepId, SrunLine line, List<OptionUse> inherited,
            Environment env, List<Scenario.Fault> faults, StepResult result) {
        // options given to salloc or sbatch reach the steps again through the environment, before the srun's own
        List<OptionUse> uses = new ArrayList<>(inherited);
        uses.addAll(line.options());
        List<Integer> layout;
        try {
            layout = line.layout(job.nodes().size());
        } catch (SrunLine.RefusedException refused) {
            result.stderr.add("srun: error: Unable to create step for job " + job.id() + ": Requested node "
                    + "configuration is not available");
            result.exit = 1;
            return Optional.empty();
        }
        StepRun step = new StepRun(cluster.pluginArguments(), random, faults);
        result.add(step.start(job, stepId, layout, uses, env, line.command(), null));
        return Optional.of(step);
    }

    private Optional<SrunLine> parse(String text, SubmitCommand client, StepResult result) {
        return parse(CommandLine.words(text), client, result);
    }

    /** A command line, or empty after the client's own complaint (an option it does not know). */
    private Optional<SrunLine> parse(List<String> words, SubmitCommand client, StepResult result) {
        try {
            boolean registered = !client.isAllocator() || config.sbatchSupport();
            SrunLine line = SrunLine.parse(client, words, nodes.keySet(), registered);
            line.layout(nodes.size());
            if (client == SubmitCommand.SRUN && line.command().isEmpty()) {
                return refused(List.of("srun: fatal: No command given to execute."), result);
            }
            return Optional.of(line);
        } catch (SrunLine.RefusedException refused) {
            return refused(refused.lines(), result);
        }
    }

    private static Optional<SrunLine> refused(List<String> lines, StepResult result) {
        result.stderr.addAll(lines);
        result.exit = 1;
        return Optional.empty();
    }

    /**
     * What srun, salloc or sbatch check before submitting: diagnostics are printed, warnings do not stop the
     * submission.
     *
     * @return whether the job is submitted
     */
    private boolean submitted(SubmitCommand command, List<OptionUse> uses, Environment env, StepResult result) {
        SubmissionCheck check = new SubmissionValidator(kind -> traits).validate(new SubmitRequest(
                cluster.pluginArguments(), command, uses, env));
        for (Diagnostic diagnostic : check.diagnostics()) {
            result.stderr.add(command.command() + ": error: " + diagnostic.text());
        }
        if (check instanceof SubmissionCheck.Rejected) {
            result.stderr.add(command.command() + ": error: spank: required plugin spank_pyxis.so: init_post_opt() "
                    + "failed with rc=-1");
            result.stderr.add(command.command() + ": error: Plugin stack post-option processing failed.");
            result.exit = 1;
            return false;
        }
        return true;
    }

    private Job allocate(String user, SrunLine line) {
        List<SimulatedNode> allocated = new ArrayList<>();
        if (!line.nodeList().isEmpty()) {
            line.nodeList().forEach(name -> allocated.add(nodes.get(name)));
        } else {
            int count = line.layout(nodes.size()).size();
            nodes.values().stream().limit(count).forEach(allocated::add);
        }
        long uid = cluster.users().get(user);
        Job job = new Job(nextJob++, user, uid, allocated, 0);
        for (SimulatedNode node : allocated) {
            makeHome(node, job);
            node.log(Long.toString(job.id()), null, TimelineEvent.Kind.JOB_STARTED, "job " + job.id() + " of " + user
                    + " starts");
        }
        return job;
    }

    private static void makeHome(SimulatedNode node, Job job) {
        try {
            DiskFiles.directory(node.path(job.home()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeScript(Job job, String script) {
        SimulatedNode first = job.nodes().get(0);
        try {
            DiskFiles.directory(first.path(job.batchScript()).getParent());
            Files.writeString(first.path(job.batchScript()), script);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The job ends: the job epilog runs on each of its nodes, as the job's user. As the shim, slurmd starts an engine
     * for it only with {@code container_scope=job} and where a step engine left the trace that it has work.
     */
    private void endJob(Job job) {
        for (SimulatedNode node : job.nodes()) {
            node.step(Long.toString(job.id()));
            if (config.containerScope() != ContainerScope.JOB || !node.expectsEpilog(job.uid(), job.id())) {
                node.log(Long.toString(job.id()), null, TimelineEvent.Kind.JOB_ENDED, "job " + job.id() + " ended");
                continue;
            }
            SimulatedKernel.Process epilog = node.kernel().spawn(job.uid(), Environment.empty(), "/");
            HookOutcome end = new JobEpilogService(node.ports(epilog)).run(new EpilogRequest(cluster.pluginArguments(),
                    job.uid(), job.id(), Environment.of("SLURM_JOB_ID", Long.toString(job.id()), "SLURM_JOB_UID",
                            Long.toString(job.uid()), "SLURM_SCRIPT_CONTEXT", "epilog_slurmd")));
            String tag = Long.toString(job.id());
            end.diagnostics().forEach(d -> node.message(tag, null, d.severity(), "epilog "
                    + d.severity().name().toLowerCase(java.util.Locale.ROOT) + ": " + d.text()));
            if (end.failed()) {
                node.log(tag, null, TimelineEvent.Kind.EPILOG_FAILED, "epilog failed: the node would be drained");
            }
            node.kernel().exit(epilog, 0);
            node.log(Long.toString(job.id()), null, TimelineEvent.Kind.JOB_ENDED, "job " + job.id() + " ended");
        }
    }

    private Environment userEnvironment(Map<String, String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/bin:/bin");
        env.put("LANG", "en_US.UTF-8");
        env.putAll(extra);
        return Environment.of(env);
    }
}
