package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.out.CommandWrites;
import dev.jpyxis.domain.port.out.OwnershipRecord;
import dev.jpyxis.domain.port.out.ProcessIdentity;
import dev.jpyxis.domain.port.out.StepPorts;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.PathProbe;
import dev.jpyxis.domain.plan.NamespaceKind;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.CommandOutcome;
import dev.jpyxis.domain.plan.ContainerMount;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.ContainerListing;
import dev.jpyxis.domain.port.out.ContainerProcesses;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.ImageImporter;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.config.RuntimeKind;
import dev.jpyxis.domain.port.out.MonotonicClock;
import dev.jpyxis.domain.port.out.NodePorts;
import dev.jpyxis.domain.port.out.StepPorts;
import dev.jpyxis.domain.port.out.NodeFiles;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import dev.jpyxis.domain.port.out.StartConfiguration;
import dev.jpyxis.domain.port.out.StepLedger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Test double for every port a node-step uses, with switches to inject failures and a journal of calls. (The
 * simulator has the full simulated runtime; this one is minimal and fast enough for exhaustive schedules.)
 */
public final class FakeNode implements ContainerRuntime, ContainerProcesses, NodeFiles, StepLedger, MonotonicClock,
        ImageImporter {

    static final RuntimeTraits TRAITS = new RuntimeTraits("enroot", Set.of("ENROOT_DATA_PATH"),
            EnumSet.allOf(RuntimeFeature.class));

    final Map<String, OptionalLong> containers = new LinkedHashMap<>();
    /** Whether the start command unshares the namespaces itself and leaves the rest to jpyxis (Charliecloud). */
    boolean launchUnshares;
    /** What the runtime says of itself: enroot's, unless a test says otherwise. */
    RuntimeTraits traits = TRAITS;
    /** What the runtime leaves to jpyxis to mount in the container (Charliecloud's flags and tmpfs). */
    List<ContainerMount> mountsInside = List.of();
    final List<String> journal = new ArrayList<>();
    private final List<RuntimeInvocation> listedSoon = new ArrayList<>();
    private final List<Environment> environments = new ArrayList<>();
    /** Whether runtime commands report themselves in the invocation's log, as the real adapters do. */
    public boolean reportsCommands;
    final Set<String> failing = new HashSet<>();
    final Set<String> missingPaths = new HashSet<>();
    /** Directories whose disk is full: an import into them fails with ENOSPC. */
    final Set<String> fullDirectories = new HashSet<>();
    final List<OwnershipRecord> records = new ArrayList<>();
    /** Whether squashfs files can be started in place here; off by default, as unpacking is pyxis's way. */
    boolean squashfuse;
    final Set<Long> epilogTraces = new HashSet<>();
    final Set<ProcessIdentity> alive = new HashSet<>();
    final Set<NamespaceKind> separateNamespaces = EnumSet.noneOf(NamespaceKind.class);
    Environment containerEnvironment = Environment.of("PATH", "/usr/bin:/bin", "HOME", "/root");
    String containerCwd = "/workspace";
    boolean cgroupNamespace = true;
    StartConfiguration lastStart;
    String bootId = "boot-1";
    /** Whether the ledger records everything (false: new, as after a reboot emptied /run). */
    boolean ledgerComplete = true;
    ProcessIdentity self = new ProcessIdentity(500, 7);
    long clock;
    /** What happens while a command of this verb runs (time passing, the engine's ticks). */
    final Map<String, Runnable> whileRunning = new HashMap<>();

    public FakeNode() {
        alive.add(self);
    }

    /** This node behind the port the domain's services take, for tests of the services. */
    public NodePorts asNodePorts() {
        return asNodePorts(traits());
    }

    /** As {@link #asNodePorts()}, the runtime claiming only what {@code advertised} says it can do. */
    public NodePorts asNodePorts(RuntimeTraits advertised) {
        FakeNode node = this;
        return new NodePorts() {
            @Override
            public RuntimeTraits traits(RuntimeKind kind) {
                return advertised;
            }

            @Override
            public ContainerRuntime runtime(PluginConfig config, String daemonPath) {
                return node;
            }

            @Override
            public StepPorts stepPorts(PluginConfig config, long uid, ContainerRuntime runtime) {
                return new StepPorts(runtime, config.importer().map(path -> (ImageImporter) node), node, node, node, node);
            }

            @Override
            public StepLedger ledger(PluginConfig config, long uid) {
                return node;
            }
        };
    }

    /** Every runtime, importer and file call, in order, e.g. {@code "remove pyxis_12.3"}. */
    public List<String> journal() {
        return List.copyOf(journal);
    }

    /** The environment of every runtime command, in order. */
    public List<Environment> runtimeEnvironments() {
        return List.copyOf(environments);
    }

    /** Makes every call of this kind ({@code "list"}, {@code "remove"}, ...) fail from now on. */
    public void fail(String verb) {
        failing.add(verb);
    }

    /** Puts a container on the node, stopped, as an earlier step would have left it. */
    public void addContainer(String name) {
        containers.put(name, OptionalLong.empty());
    }

    /** A runtime command: reported as the runtime would report it, then journalled. */
    private void call(RuntimeInvocation invocation, String what) {
        if (reportsCommands) {
            invocation.log().running("fake", List.of(what.split(" ")));
        }
        environments.add(invocation.environment());
        call(what);
    }

    private void call(String what) {
        journal.add(what);
        String verb = what.split(" ")[0];
        whileRunning.getOrDefault(verb, () -> { }).run();
        if (failing.contains(verb)) {
            throw new CommandFailedException(new CommandOutcome.Exited(77, 1), List.of(verb + " went wrong"));
        }
    }

    long count(String verb) {
        return journal.stream().filter(entry -> entry.split(" ")[0].equals(verb)).count();
    }

    // ---- ContainerRuntime

    @Override
    public RuntimeTraits traits() {
        return traits;
    }

    @Override
    public boolean startsSquashfsDirectly(RuntimeInvocation invocation) {
        return squashfuse;
    }

    @Override
    public void listSoon(RuntimeInvocation invocation) {
        listedSoon.add(invocation);
    }

    /** The invocations the step announced it would list with ({@link ContainerRuntime#listSoon}). */
    public List<RuntimeInvocation> listedSoon() {
        return List.copyOf(listedSoon);
    }

    @Override
    public List<ContainerListing> list(RuntimeInvocation invocation) {
        call(invocation, "list");
        List<ContainerListing> listings = new ArrayList<>();
        containers.forEach((name, pid) -> listings.add(new ContainerListing(name, pid)));
        return listings;
    }

    /** {@code enroot list}, as the job epilog reads it. */
    @Override
    public List<String> names(RuntimeInvocation invocation) {
        call(invocation, "names");
        return List.copyOf(containers.keySet());
    }

    @Override
    public void importImage(RuntimeInvocation invocation, String uri, String squashfsFile) {
        call(invocation, "import " + uri + " " + squashfsFile);
        if (fullDirectories.stream().anyMatch(directory -> squashfsFile.startsWith(directory + "/"))) {
            throw new CommandFailedException(new CommandOutcome.Exited(79, 1),
                    List.of("mksquashfs: Write failed because No space left on device"));
        }
    }

    @Override
    public void load(RuntimeInvocation invocation, String uri, String name) {
        call(invocation, "load " + uri + " " + name);
        containers.put(name, OptionalLong.empty());
    }

    @Override
    public void create(RuntimeInvocation invocation, String name, String squashfsFile) {
        call(invocation, "create " + name + " " + squashfsFile);
        if (containers.containsKey(name)) {
            throw new CommandFailedException(new CommandOutcome.Exited(78, 1), List.of("File exists"));
        }
        containers.put(name, OptionalLong.empty());
    }

    @Override
    public ContainerLaunch prepareStart(RuntimeInvocation invocation, StartConfiguration configuration) {
        call(invocation, "prepare " + configuration.target());
        lastStart = configuration;
        return new ContainerLaunch(List.of("/usr/local/bin/enroot", "start", configuration.target()),
                configuration.environment(), List.of("/tmp/.enroot_config_x"), launchUnshares ? configuration.unshare()
                        : java.util.Set.of(), mountsInside);
    }

    @Override
    public boolean finishStart(ContainerLaunch launch) {
        journal.add("finish");
        return !failing.contains("finish");
    }

    @Override
    public void export(RuntimeInvocation invocation, String name, String squashfsFile) {
        call(invocation, "export " + name + " " + squashfsFile);
    }

    @Override
    public void remove(RuntimeInvocation invocation, String name) {
        call(invocation, "remove " + name);
        containers.remove(name);
    }

    // ---- ContainerProcesses

    @Override
    public Environment environment(long pid) throws InspectionException {
        if (failing.contains("environ")) {
            throw new InspectionException("Permission denied");
        }
        return containerEnvironment;
    }

    @Override
    public String workingDirectory(long pid) throws InspectionException {
        if (failing.contains("cwd")) {
            throw new InspectionException("No such process");
        }
        return containerCwd;
    }

    @Override
    public Optional<String> namespace(long pid, NamespaceKind kind) throws InspectionException {
        if (failing.contains("namespace")) {
            throw new InspectionException("No such process");
        }
        if (kind == NamespaceKind.CGROUP && !cgroupNamespace) {
            return Optional.empty();
        }
        return Optional.of(separateNamespaces.contains(kind) || kind == NamespaceKind.USER || kind == NamespaceKind.MNT
                || kind == NamespaceKind.CGROUP ? kind + ":" + pid : kind + ":host");
    }

    @Override
    public Optional<String> ownNamespace(NamespaceKind kind) {
        return Optional.of(kind + ":host");
    }

    @Override
    public void resume(long pid) {
        journal.add("resume " + pid);
    }

    // ---- NodeFiles

    @Override
    public PathProbe probe(String path) {
        return missingPaths.contains(path) ? PathProbe.missing() : PathProbe.exists();
    }

    @Override
    public Optional<String> delete(String path) {
        journal.add("delete " + path);
        return Optional.empty();
    }

    // ---- StepLedger

    @Override
    public String bootId() {
        return bootId;
    }

    @Override
    public ProcessIdentity self() {
        return self;
    }

    @Override
    public Optional<ProcessIdentity> identify(long pid) {
        ProcessIdentity process = new ProcessIdentity(pid, 7);
        return alive.contains(process) ? Optional.of(process) : Optional.empty();
    }

    @Override
    public boolean isAlive(ProcessIdentity process) {
        return alive.contains(process);
    }

    @Override
    public List<OwnershipRecord> records() {
        return List.copyOf(records);
    }

    @Override
    public void write(OwnershipRecord record) {
        records.add(record);
    }

    @Override
    public void erase(OwnershipRecord record) {
        records.remove(record);
    }

    @Override
    public boolean complete() {
        return ledgerComplete;
    }

    @Override
    public void markComplete() {
        call("mark-complete");
        ledgerComplete = true;
    }

    @Override
    public boolean expectEpilog(long jobId) {
        call("expect-epilog " + jobId);
        epilogTraces.add(jobId);
        return true;
    }

    @Override
    public void epilogDone(long jobId) {
        epilogTraces.remove(jobId);
    }

    private final Set<Long> endedTraces = new java.util.TreeSet<>();

    /** What the shim does when no engine of the job's epilog answered. */
    public void epilogNeverAnswered(long jobId) {
        if (epilogTraces.remove(jobId)) {
            endedTraces.add(jobId);
        }
    }

    @Override
    public List<Long> jobsLeftToSweep() {
        return List.copyOf(endedTraces);
    }

    @Override
    public void jobSwept(long jobId) {
        call("job-swept " + jobId);
        endedTraces.remove(jobId);
    }

    /** The jobs whose epilog this node expects to have work. */
    public Set<Long> epilogTraces() {
        return Set.copyOf(epilogTraces);
    }

    // ---- MonotonicClock

    @Override
    public long nanos() {
        clock += 1_500_000;
        return clock;
    }

    // ---- ImageImporter

    @Override
    public String path() {
        return "/opt/importer";
    }

    @Override
    public String get(RuntimeInvocation invocation, String uri) {
        call("importer-get " + uri);
        if (failing.contains("importer-nopath")) {
            throw new ImporterGaveNoPathException(List.of("nothing to say"));
        }
        return "/cache/image.sqsh";
    }

    @Override
    public void release(RuntimeInvocation invocation) {
        call("importer-release");
    }

    StepPorts ports(boolean withImporter) {
        return new StepPorts(this, withImporter ? Optional.of(this) : Optional.empty(), this, this, this, this);
    }

    /** The ports of this node with the user's image cache {@code cache} (which also answers digest queries). */
    StepPorts ports(boolean withImporter, FakeImageCache cache) {
        return new StepPorts(this, withImporter ? Optional.of(this) : Optional.empty(), this, this, this, this,
                Optional.of(cache), cache, CommandWrites.NONE);
    }
}
