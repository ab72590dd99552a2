package dev.jpyxis.simulator.node;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jpyxis.domain.port.out.OwnershipRecord;
import dev.jpyxis.domain.port.out.ProcessIdentity;
import dev.jpyxis.domain.port.out.PathProbe;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.config.RuntimeKind;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.ImageImporter;
import dev.jpyxis.domain.port.out.NodePorts;
import dev.jpyxis.domain.port.out.StepPorts;
import dev.jpyxis.domain.port.out.NodeFiles;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import dev.jpyxis.domain.port.out.StepLedger;
import dev.jpyxis.domain.message.Severity;
import dev.jpyxis.simulator.report.TimelineEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One simulated node: its own in-memory file system, kernel and container runtime, the ownership ledger that
 * survives crashes, and a timeline of what the plugin did there.
 */
public final class SimulatedNode implements AutoCloseable {

    private final String name;
    private final FileSystem fileSystem;
    private final Path root;
    private final SimulatedKernel kernel;
    private final SimulatedRuntime runtime;
    private final List<OwnershipRecord> records = new ArrayList<>();
    /** The user and job of each epilog trace an engine left, as {@code uid:job}. */
    private final Set<String> epilogTraces = new HashSet<>();
    /** A reboot emptied /run: the users' ledgers are new, until a step of each user swept (those users here). */
    private boolean runEmptied;
    private final Set<Long> sweptUsers = new HashSet<>();
    private final List<TimelineEvent> timeline = new ArrayList<>();
    private AtomicLong sequence = new AtomicLong();
    /** The job or step the node is busy with, which the runtime's commands belong to. */
    private String step;
    /** The image caches' entry locks on this node: the entry, and the pid of the process holding it. */
    private final Map<String, Long> cacheLocks = new java.util.HashMap<>();
    private int boot = 1;
    private long clock;
    /** What the node's commands wrote to its disks, as the engine's write count sees it. */
    private long written;
    /** What runs on every tick of the engine's heartbeat, while a slow command runs. */
    private final List<Runnable> ticks = new ArrayList<>();

    public SimulatedNode(String name, RuntimeTraits traits, Map<String, SimulatedImage> registry) {
        this.name = name;
        // a fixed file time: simulated disks need no clock, and reading the system's costs on every file access
        this.fileSystem = Jimfs.newFileSystem(Configuration.unix().toBuilder()
                .setFileTimeSource(() -> FileTime.fromMillis(0)).build());
        this.root = fileSystem.getPath("/");
        this.kernel = new SimulatedKernel(root);
        this.runtime = new SimulatedRuntime(traits, root, kernel, registry);
        runtime.onCommand(command -> log(step, null, TimelineEvent.Kind.RUNTIME_COMMAND, command));
        runtime.onSecondPassing(this::secondPasses);
        try {
            DiskFiles.directory(root.resolve("tmp"));
            DiskFiles.directory(root.resolve("run/pyxis"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    public Path root() {
        return root;
    }

    public Path path(String absolute) {
        return DiskFiles.inside(root, absolute);
    }

    public SimulatedKernel kernel() {
        return kernel;
    }

    public SimulatedRuntime runtime() {
        return runtime;
    }

    /** The importer executable at {@code path}, as plugstack's {@code importer} names it. */
    public ImageImporter importer(String path) {
        return new SimulatedImporter(path, root, runtime);
    }

    public List<TimelineEvent> timeline() {
        return timeline;
    }

    /** Numbers this node's events from a count the nodes of a run share. */
    public void sequence(AtomicLong shared) {
        this.sequence = shared;
    }

    /** The job or step whatever happens next on this node belongs to. */
    public void step(String current) {
        this.step = current;
    }

    /** Notes an event of a job or step ({@code step}), of a task when {@code task} is not null. */
    public void log(String stepTag, Integer task, TimelineEvent.Kind kind, String text) {
        step = stepTag;
        timeline.add(new TimelineEvent(sequence.getAndIncrement(), stepTag, task, kind, null, text));
    }

    /** Notes one of pyxis's messages, at its level. */
    public void message(String stepTag, Integer task, Severity severity, String text) {
        step = stepTag;
        timeline.add(new TimelineEvent(sequence.getAndIncrement(), stepTag, task, TimelineEvent.Kind.MESSAGE,
                severity.name().toLowerCase(Locale.ROOT), text));
    }

    public long tick() {
        clock += 1_000_000;
        return clock;
    }

    /** Bytes a slow command writes in a second. */
    static final long BYTES_PER_SECOND = 20_000_000;

    /** A second of a slow command: the clock moves on, the command writes, the engines' heartbeats tick. */
    private void secondPasses() {
        clock += 1_000_000_000L;
        written += BYTES_PER_SECOND;
        List.copyOf(ticks).forEach(Runnable::run);
    }

    /** {@code tick} runs on every second a slow command takes, until {@link #stopTicking}. */
    public void onTick(Runnable tick) {
        ticks.add(tick);
    }

    public void stopTicking(Runnable tick) {
        ticks.remove(tick);
    }

    /** The node reboots: every process dies, the boot id changes; disks (and the ledger) keep their content. */
    public void crash() {
        crash(false);
    }

    /**
     * The node reboots; with {@code runEmptied} the reboot also empties {@code /run}: the users' ledgers and epilog
     * traces in the default {@code runtime_path} are gone, while the runtime's storage keeps the containers.
     */
    public void crash(boolean runEmptied) {
        kernel.killAll();
        boot++;
        if (runEmptied) {
            records.clear();
            epilogTraces.clear();
            this.runEmptied = true;
            sweptUsers.clear();
        }
        log(null, null, TimelineEvent.Kind.NODE_CRASHED, "node crashed and rebooted (boot " + boot + ")"
                + (runEmptied ? ", /run emptied" : ""));
    }

    /** The containers on this node's disk, every user's, by name, sorted. */
    public List<String> containers() {
        Path storage = root.resolve(SimulatedRuntime.STORAGE);
        if (!Files.isDirectory(storage)) {
            return List.of();
        }
        try (Stream<Path> users = Files.list(storage)) {
            List<String> names = new ArrayList<>();
            for (Path user : users.toList()) {
                try (Stream<Path> containers = Files.list(user)) {
                    containers.forEach(container -> names.add(container.getFileName().toString()));
                }
            }
            return names.stream().sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            fileSystem.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether an engine of user {@code uid} left the trace that the job's epilog has work here (the shim checks it). */
    public boolean expectsEpilog(long uid, long jobId) {
        return epilogTraces.contains(uid + ":" + jobId);
    }

    public List<OwnershipRecord> records() {
        return records;
    }

    public NodeFiles files() {
        return new NodeFiles() {
            @Override
            public PathProbe probe(String path) {
                return Files.exists(path(path)) ? PathProbe.exists() : PathProbe.missing();
            }

            @Override
            public Optional<String> delete(String path) {
                try {
                    Files.deleteIfExists(path(path));
                    return Optional.empty();
                } catch (IOException e) {
                    return Optional.of(String.valueOf(e.getMessage()));
                }
            }
        };
    }

    /**
     * The node as the engine process {@code engine} (a step engine or a job epilog, running as the job's user) sees it
     * through the domain's ports: every runtime command runs as that user, the ledger knows the engine as its owner.
     */
    public NodePorts ports(SimulatedKernel.Process engine) {
        return new NodePorts() {
            @Override
            public RuntimeTraits traits(RuntimeKind kind) {
                return runtime.traits();
            }

            @Override
            public ContainerRuntime runtime(PluginConfig config, String daemonPath) {
                return runtime.asUser(engine.uid());
            }

            @Override
            public StepPorts stepPorts(PluginConfig config, long uid, ContainerRuntime containerRuntime) {
                return new StepPorts(containerRuntime, config.importer().map(SimulatedNode.this::importer), kernel,
                        files(), SimulatedNode.this.ledger(engine), SimulatedNode.this::tick,
                        config.imageCache().map(root -> imageCache(root, engine)),
                        (invocation, uri) -> runtime.digest(uri), () -> written);
            }

            @Override
            public StepLedger ledger(PluginConfig config, long uid) {
                return SimulatedNode.this.ledger(engine);
            }
        };
    }

    /** The image cache below {@code root} of the user {@code engine} runs as, as that engine sees it. */
    public SimulatedImageCache imageCache(String root, SimulatedKernel.Process engine) {
        String directory = root + "/" + engine.uid();
        return new SimulatedImageCache(path(directory), directory, kernel, engine, cacheLocks, runtime, this::tick);
    }

    /**
     * The images in the users' caches below {@code root}: {@code uid reference} for each entry, sorted (an image whose
     * tag moved is there once per digest until one is evicted).
     */
    public List<String> cachedImages(String root) {
        Path cache = path(root);
        if (!Files.isDirectory(cache)) {
            return List.of();
        }
        List<String> images = new ArrayList<>();
        try (Stream<Path> users = Files.list(cache)) {
            for (Path user : users.sorted().toList()) {
                try (Stream<Path> entries = Files.list(user)) {
                    for (Path meta : entries.filter(f -> f.toString().endsWith(".meta")).sorted().toList()) {
                        images.add(user.getFileName() + " " + SimulatedImageCache.metadata(meta)
                                .getProperty("reference"));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return images.stream().sorted().toList();
    }

    /** Damages every image in the users' caches below {@code root}, as a disk error or a stray write would. */
    public void damageImageCache(String root) {
        Path cache = path(root);
        if (!Files.isDirectory(cache)) {
            return;
        }
        try (Stream<Path> files = Files.walk(cache)) {
            for (Path image : files.filter(f -> f.toString().endsWith(".sqsh")).toList()) {
                Files.writeString(image, "garbage\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        log(null, null, TimelineEvent.Kind.NODE_DAMAGED, "the image caches' files were damaged");
    }

    /** The ledger as the engine running as {@code engine} sees it. */
    public StepLedger ledger(SimulatedKernel.Process engine) {
        return new StepLedger() {
            @Override
            public String bootId() {
                return name + "-boot-" + boot;
            }

            @Override
            public ProcessIdentity self() {
                return new ProcessIdentity(engine.pid(), boot);
            }

            @Override
            public Optional<ProcessIdentity> identify(long pid) {
                return kernel.process(pid).map(process -> new ProcessIdentity(pid, boot));
            }

            @Override
            public boolean isAlive(ProcessIdentity process) {
                return process.startTime() == boot && kernel.process(process.pid()).isPresent();
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

            /** Complete until a reboot emptied /run (a node's first ledger is taken as having missed nothing). */
            @Override
            public boolean complete() {
                return !runEmptied || sweptUsers.contains(engine.uid());
            }

            @Override
            public void markComplete() {
                sweptUsers.add(engine.uid());
            }

            @Override
            public boolean expectEpilog(long jobId) {
                epilogTraces.add(engine.uid() + ":" + jobId);
                return true;
            }

            @Override
            public void epilogDone(long jobId) {
                epilogTraces.remove(engine.uid() + ":" + jobId);
            }

            // the simulated job epilog always answers: no job ends without it
            @Override
            public List<Long> jobsLeftToSweep() {
                return List.of();
            }

            @Override
            public void jobSwept(long jobId) {
            }
        };
    }
}
