package dev.jpyxis.adapters.charliecloud;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.env.ParameterExpansion;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.port.out.FstabEntry;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.option.TriState;
import dev.jpyxis.domain.plan.ContainerMount;
import dev.jpyxis.domain.plan.MountFlag;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.CommandOutcome;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.ContainerListing;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import dev.jpyxis.domain.port.out.StartConfiguration;
import dev.jpyxis.exec.CommandRunner;
import dev.jpyxis.exec.ProcessMark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The runtime port with Charliecloud. A container is an unpacked image directory in the user's storage (as
 * {@code enroot create} makes one), started with {@code ch-run}; registry images come through {@code ch-image pull}
 * and {@code ch-convert}. What {@code ch-run} cannot mount itself (mount flags, tmpfs) the shim mounts in the
 * container ({@link ChRunMounts}); the image's entrypoint comes from its metadata ({@link ImageMetadata}); the
 * namespaces of {@code --container-unshare} are made by util-linux's {@code unshare}, in a user namespace of their
 * own, before it runs {@code ch-run} (which nests its own inside). Debian's {@code ch-run} cannot start a squashfs file: the
 * traits say so, and the domain refuses what needs it up front.
 */
public final class CharliecloudRuntime implements ContainerRuntime {

    /** Where a user's images live is the admin's business, not the job's. */
    static final Set<String> PROTECTED = Set.of("CH_IMAGE_STORAGE");

    public static final RuntimeTraits TRAITS = new RuntimeTraits("charliecloud", PROTECTED,
            EnumSet.of(RuntimeFeature.LOAD, RuntimeFeature.SQUASHFS_START, RuntimeFeature.MOUNT_OPTIONS,
                    RuntimeFeature.ENTRYPOINT, RuntimeFeature.UNSHARE_NET, RuntimeFeature.UNSHARE_IPC,
                    RuntimeFeature.UNSHARE_UTS), true);

    /** Where a squashfs file started directly is mounted: hidden among the containers, never listed as one. */
    private static final String SQUASHFUSE_PREFIX = ".squashfuse-";
    /** fusermount runs per unmount at most: a step is signalled a few times, not forever. */
    private static final int UNMOUNT_ATTEMPTS = 5;

    private final CharliecloudTools tools;
    private final CommandRunner runner;
    private final OwnDirectory storage;
    private final OwnDirectory containers;
    private final RunningContainers running;
    private static final java.util.concurrent.atomic.AtomicLong PULLS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param storage    the user's directory for ch-image's storage: each pull gets one of its own inside
     * @param containers where containers are unpacked, one directory each (ch-run refuses directories inside the
     *                   storage directory)
     */
    public CharliecloudRuntime(CharliecloudTools tools, CommandRunner runner, Path storage, Path containers,
            RunningContainers running) {
        this(tools, runner, storage, containers, running, OwnDirectory.currentUid());
    }

    /** @param uid the user both directories must belong to (the engine's own uid in production) */
    CharliecloudRuntime(CharliecloudTools tools, CommandRunner runner, Path storage, Path containers,
            RunningContainers running, long uid) {
        this.tools = tools;
        this.runner = runner;
        this.storage = new OwnDirectory(storage, uid);
        this.containers = new OwnDirectory(containers, uid);
        this.running = running;
    }

    /**
     * The runtime of the user this process runs as, with ch-image's default storage {@code /var/tmp/<user>.ch} and the
     * containers in {@code /var/tmp/<user>.jpyxis}. A user whose name cannot be resolved (Java then says "?") gets
     * names made of the uid, so such users never share one directory.
     */
    public static CharliecloudRuntime inVarTmp(CharliecloudTools tools, CommandRunner runner,
            RunningContainers running) {
        long uid = OwnDirectory.currentUid();
        String prefix = userPrefix(System.getProperty("user.name", ""), uid);
        return new CharliecloudRuntime(tools, runner, Path.of("/var/tmp", prefix + ".ch"),
                Path.of("/var/tmp", prefix + ".jpyxis"), running, uid);
    }

    /** The user's name when it is one a file name can carry, else {@code uid-<uid>}. */
    static String userPrefix(String userName, long uid) {
        boolean usable = !userName.isEmpty() && !userName.equals("?") && !userName.startsWith(".")
                && userName.chars().allMatch(c -> c > ' ' && c < 127 && c != '/');
        return usable ? userName : "uid-" + uid;
    }

    @Override
    public RuntimeTraits traits() {
        return TRAITS;
    }

    /** The engine mounts the file with squashfuse for ch-run, and unmounts it with fusermount. */
    @Override
    public boolean startsSquashfsDirectly(RuntimeInvocation invocation) {
        Path fuse = Path.of("/dev/fuse");
        return Files.isExecutable(Path.of(tools.squashfuse())) && Files.isExecutable(Path.of(tools.fusermount()))
                && Files.isReadable(fuse) && Files.isWritable(fuse);
    }

    Path containers() {
        return containers.path();
    }

    private Path container(String name) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new CommandFailedException(new CommandOutcome.Refused("Invalid argument: " + name), List.of());
        }
        containers.existing(); // a planted or shared directory is refused before anything in it is used
        return containers().resolve(name);
    }

    @Override
    public List<ContainerListing> list(RuntimeInvocation invocation) {
        List<ContainerListing> listings = new ArrayList<>();
        if (containers.existing().isEmpty()) {
            return listings;
        }
        Map<Path, Long> pids = running.firstProcessByRoot();
        try (Stream<Path> entries = Files.list(containers())) {
            for (Path entry : entries.filter(Files::isDirectory)
                    .filter(entry -> !entry.getFileName().toString().startsWith(SQUASHFUSE_PREFIX)).sorted().toList()) {
                Long pid = pids.get(entry.toAbsolutePath().normalize());
                String name = entry.getFileName().toString();
                listings.add(pid == null ? ContainerListing.stopped(name) : ContainerListing.running(name, pid));
            }
        } catch (IOException e) {
            throw new PyxisException("pyxis: couldn't list " + containers() + ": " + e.getMessage());
        }
        return listings;
    }

    @Override
    public void importImage(RuntimeInvocation invocation, String uri, String squashfsFile) {
        String reference = ImageReferences.forChImage(uri);
        withOwnStorage(invocation, storageOfThisPull -> {
            pull(invocation, storageOfThisPull, uri, reference);
            announce(invocation, List.of(tools.chConvert(), "-i", "ch-image", "-o", "squash", reference, squashfsFile));
            runner.runOrFail(List.of(tools.chConvert(), "-i", "ch-image", "-o", "squash", reference, squashfsFile),
                    chEnvironment(invocation, storageOfThisPull),
                    Path.of(invocation.workingDirectory()));
        });
    }

    @Override
    public void load(RuntimeInvocation invocation, String uri, String name) {
        Path target = container(name);
        if (Files.exists(target)) {
            throw exists(target);
        }
        String reference = ImageReferences.forChImage(uri);
        makeStorage();
        withOwnStorage(invocation, storageOfThisPull -> {
            pull(invocation, storageOfThisPull, uri, reference);
            announce(invocation, List.of(tools.chConvert(), "-i", "ch-image", "-o", "dir", reference,
                    target.toString()));
            runner.runOrFail(List.of(tools.chConvert(), "-i", "ch-image", "-o", "dir", reference, target.toString()),
                    chEnvironment(invocation, storageOfThisPull),
                    Path.of(invocation.workingDirectory()));
        });
    }

    /**
     * Each pull gets a ch-image storage directory of its own, removed afterwards: ch-image refuses a storage
     * directory another ch-image uses ("storage directory is already in use"), and the user's concurrent steps may
     * pull at once. Layers are not shared between pulls; jpyxis's image cache keeps what was imported.
     */
    private void withOwnStorage(RuntimeInvocation invocation, java.util.function.Consumer<Path> work) {
        Path pulls = storage.ensure();
        Path own = pulls.resolve("pull-" + ProcessHandle.current().pid() + "-" + PULLS.incrementAndGet());
        try {
            work.accept(own);
        } finally {
            if (Files.exists(own)) {
                runner.run(List.of("/bin/chmod", "-R", "u+rwX", "--", own.toString()), invocation.environment(),
                        Path.of("/"));
                runner.run(List.of("/bin/rm", "-rf", "--", own.toString()), invocation.environment(), Path.of("/"));
            }
        }
    }

    /** What ch-image's TLS library says when the registry answers in plain HTTP. */
    static final String PLAIN_HTTP_ANSWER = "WRONG_VERSION_NUMBER";
    static final String PLAIN_HTTP_HINT = "the registry seems to speak plain HTTP, which ch-image cannot use: serve it"
            + " over HTTPS (see docs/runtimes.md in jpyxis's documentation)";

    /** @param uri the image as the user gave it, which may name the user whose login to use */
    private void pull(RuntimeInvocation invocation, Path storageOfThisPull, String uri, String reference) {
        // no build cache: it needs git and an identity, and a pulled image is converted right away
        announce(invocation, List.of(tools.chImage(), "-s", storageOfThisPull.toString(), "--no-cache", "pull",
                reference));
        try {
            runner.runOrFail(List.of(tools.chImage(), "-s", storageOfThisPull.toString(), "--no-cache", "pull",
                    reference), RegistryCredentials.forPull(chEnvironment(invocation, storageOfThisPull), uri),
                    Path.of(invocation.workingDirectory()));
        } catch (CommandFailedException failed) {
            throw withPlainHttpHint(failed);
        }
    }

    /** ch-image 0.31 has no plain-HTTP mode (enroot's ENROOT_ALLOW_HTTP): its failure then says why. */
    static CommandFailedException withPlainHttpHint(CommandFailedException failed) {
        if (failed.log().stream().noneMatch(line -> line.contains(PLAIN_HTTP_ANSWER))) {
            return failed;
        }
        List<String> log = new ArrayList<>(failed.log());
        log.add(PLAIN_HTTP_HINT);
        return new CommandFailedException(failed.outcome(), log);
    }

    @Override
    public void create(RuntimeInvocation invocation, String name, String squashfsFile) {
        Path target = container(name);
        if (Files.exists(target)) {
            throw exists(target);
        }
        makeStorage();
        announce(invocation, List.of(tools.unsquashfs(), "-no-progress", "-no-xattrs", "-d", target.toString(),
                squashfsFile));
        try {
            runner.runOrFail(List.of(tools.unsquashfs(), "-no-progress", "-no-xattrs", "-d", target.toString(),
                    squashfsFile), invocation.environment(), Path.of(invocation.workingDirectory()));
        } catch (CommandFailedException failed) {
            // what unsquashfs wrote before it failed (a full disk, a killed unpack) goes: no later step may find half
            // a root filesystem under the name; a directory another create made meanwhile ("File exists") stays
            if (failed.log().stream().noneMatch(line -> line.contains("File exists")) && Files.exists(target)) {
                runner.run(List.of("/bin/chmod", "-R", "u+rwX", "--", target.toString()), invocation.environment(),
                        Path.of("/"));
                runner.run(List.of("/bin/rm", "-rf", "--", target.toString()), invocation.environment(), Path.of("/"));
            }
            throw failed;
        }
    }

    @Override
    public ContainerLaunch prepareStart(RuntimeInvocation invocation, StartConfiguration configuration) {
        if (!configuration.fromSquashfsFile()) {
            return launch(container(configuration.target()), invocation, configuration, List.of());
        }
        if (configuration.writable() == TriState.TRUE) {
            throw new PyxisException("pyxis: --container-writable is not supported by the charliecloud runtime for a"
                    + " squashfs image started directly (use_squashfuse)");
        }
        Path mountpoint = mountSquashfs(invocation, configuration.target());
        try {
            return launch(mountpoint, invocation, configuration, List.of(mountpoint.toString()));
        } catch (RuntimeException failed) {
            unmount(mountpoint);
            throw failed;
        }
    }

    private ContainerLaunch launch(Path root, RuntimeInvocation invocation, StartConfiguration configuration,
            List<String> temporaryFiles) {
        List<String> argv = new ArrayList<>(unshare(configuration.unshare()));
        argv.add(tools.chRun());
        if (configuration.writable() == TriState.TRUE) {
            argv.add("--write");
        }
        if (configuration.remapRoot() == TriState.TRUE) {
            argv.addAll(List.of("--uid=0", "--gid=0"));
        }
        List<FstabEntry> expanded = new ArrayList<>();
        for (FstabEntry given : mounts(configuration, invocation)) {
            // pyxis's start script lets bash expand $VAR in mount paths; there is no script here
            expanded.add(new FstabEntry(ParameterExpansion.expand(given.source(), configuration.environment()),
                    ParameterExpansion.expand(given.target(), configuration.environment()), given.options()));
        }
        ChRunMounts mounts = ChRunMounts.of(expanded, root, Path.of(invocation.workingDirectory()));
        argv.addAll(mounts.binds());
        ImageMetadata metadata = ImageMetadata.of(root);
        argv.add("--unset-env=*");
        metadata.environmentFile().ifPresent(file -> argv.add("--set-env=" + file));
        for (String name : configuration.environmentNames()) {
            configuration.environment().get(name).filter(value -> !value.isEmpty())
                    .ifPresent(value -> argv.add("--set-env=" + name + "=" + value));
        }
        homeVariable(configuration, invocation).ifPresent(home -> argv.add("--set-env=HOME=" + home));
        argv.add("--env-no-expand");
        argv.add("--cd=" + metadata.workingDirectory());
        argv.add(root.toString());
        argv.add("--");
        if (configuration.executeEntrypoint()) {
            argv.addAll(metadata.entrypoint());
        }
        argv.addAll(configuration.command());
        announce(invocation, argv);
        List<ContainerMount> inside = new ArrayList<>();
        if (configuration.unshare().contains(Namespace.IPC)) {
            // POSIX shared memory lives in /dev/shm: a fresh one, as enroot's 10-devices.sh hook mounts
            inside.add(new ContainerMount.Call("tmpfs", "/dev/shm", "tmpfs", EnumSet.of(MountFlag.NOSUID,
                    MountFlag.NODEV, MountFlag.NOEXEC), "mode=1777", false,
                    "pyxis: --container-unshare=ipc: failed to mount: tmpfs at /dev/shm"));
        }
        inside.addAll(mounts.inside());
        return new ContainerLaunch(argv, configuration.environment(), temporaryFiles, configuration.unshare(),
                inside);
    }

    /**
     * ch-run makes no namespaces but user and mount: util-linux's {@code unshare} makes the others, in a user
     * namespace of their own (the user mapped to itself), and runs ch-run in them, which nests its user namespaces
     * inside (two, with 0.31). The loopback interface is left to jpyxis's setup, and tasks join the user namespace
     * owning the unshared ones first ({@link #TRAITS}).
     */
    private List<String> unshare(Set<Namespace> namespaces) {
        if (namespaces.isEmpty()) {
            return List.of();
        }
        List<String> argv = new ArrayList<>(List.of(tools.unshare(), "--user", "--map-current-user"));
        for (Namespace namespace : List.of(Namespace.NET, Namespace.IPC, Namespace.UTS)) {
            if (namespaces.contains(namespace)) {
                argv.add("--" + namespace.keyword());
            }
        }
        argv.add("--");
        return argv;
    }

    /**
     * Debian's ch-run cannot open a squashfs file itself (no libsquashfuse): the engine mounts it with squashfuse, as
     * the job user, on a fresh directory named after this engine process. Mounts of engines that are gone go first.
     */
    private Path mountSquashfs(RuntimeInvocation invocation, String squashfsFile) {
        makeStorage();
        detachMountsOfGoneEngines();
        Path mountpoint;
        try {
            mountpoint = Files.createTempDirectory(containers(), SQUASHFUSE_PREFIX
                    + ProcessMark.self().map(ProcessMark::prefix).orElse(""));
        } catch (IOException e) {
            throw new PyxisException("pyxis: couldn't create a mount point in " + containers() + ": " + e.getMessage());
        }
        try {
            announce(invocation, List.of(tools.squashfuse(), squashfsFile, mountpoint.toString()));
            runner.runOrFail(List.of(tools.squashfuse(), squashfsFile, mountpoint.toString()),
                    invocation.environment(), Path.of(invocation.workingDirectory()));
        } catch (RuntimeException failed) {
            // a squashfuse killed (a cancelled step's SIGTERM) once it had mounted leaves its mount behind
            if (running.mounted(mountpoint)) {
                unmount(mountpoint);
            } else {
                removeQuietly(mountpoint);
            }
            throw failed;
        }
        return mountpoint;
    }

    /**
     * An engine killed between its mount and the start's end (SIGKILL, the OOM killer) cannot detach it, and
     * squashfuse, a daemon, outlives the step: the user's next start in place on the node detaches it. A container
     * started from it meanwhile keeps its own copy of the mount.
     */
    private void detachMountsOfGoneEngines() {
        ProcessMark.leftByGoneProcesses(containers(), SQUASHFUSE_PREFIX).forEach(this::unmount);
    }

    /** The user's mounts, plus the home directory for {@code --container-mount-home} (Charliecloud has no hook). */
    private static List<FstabEntry> mounts(StartConfiguration configuration, RuntimeInvocation invocation) {
        List<FstabEntry> mounts = new ArrayList<>(configuration.mounts());
        configuration.homeMount(invocation.environment()).ifPresent(home -> mounts.add(home.entry()));
        return mounts;
    }

    private static java.util.Optional<String> homeVariable(StartConfiguration configuration,
            RuntimeInvocation invocation) {
        return configuration.homeMount(invocation.environment()).map(home -> home.target());
    }

    /**
     * Once the container has stopped itself inside its own mount namespace, a squashfs mount point is detached
     * lazily: the container keeps its copy of the mount, and squashfuse exits by itself when the container does (at
     * once when the container is gone already). squashfuse runs as a daemon, outside the step's processes: a mount
     * left here would outlive the step.
     */
    @Override
    public boolean finishStart(ContainerLaunch launch) {
        boolean detached = true;
        for (String mountpoint : launch.temporaryFiles()) {
            detached &= unmount(Path.of(mountpoint));
        }
        return detached;
    }

    /**
     * The signals of a cancelled step reach every process of the step, a fusermount just started (or the JDK's
     * helper spawning it) among them: an unmount that leaves the mount in place is tried again.
     */
    private boolean unmount(Path mountpoint) {
        for (int attempt = 0; attempt < UNMOUNT_ATTEMPTS; attempt++) {
            try {
                runner.run(List.of(tools.fusermount(), "-u", "-z", mountpoint.toString()), Environment.of("PATH",
                        "/usr/bin:/bin"), Path.of("/"));
            } catch (CommandFailedException notStarted) {
                // killed while it was being spawned: tried again
            }
            if (!running.mounted(mountpoint)) {
                removeQuietly(mountpoint);
                return true;
            }
        }
        return false;
    }

    private static void removeQuietly(Path directory) {
        try {
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // a mount point still busy stays behind, empty; the next unmount of its name removes it
        }
    }

    @Override
    public void export(RuntimeInvocation invocation, String name, String squashfsFile) {
        Path source = container(name);
        if (!Files.isDirectory(source)) {
            throw missing(source);
        }
        try {
            Files.deleteIfExists(Path.of(invocation.workingDirectory()).resolve(squashfsFile));
        } catch (IOException e) {
            throw new CommandFailedException(new CommandOutcome.NotStarted(e.getMessage()), List.of());
        }
        announce(invocation, List.of(tools.chConvert(), "-i", "dir", "-o", "squash", source.toString(), squashfsFile));
        runner.runOrFail(List.of(tools.chConvert(), "-i", "dir", "-o", "squash", source.toString(), squashfsFile),
                invocation.environment(), Path.of(invocation.workingDirectory()));
    }

    @Override
    public void remove(RuntimeInvocation invocation, String name) {
        Path target = container(name);
        if (!Files.isDirectory(target)) {
            throw missing(target);
        }
        // unpacked images may hold read-only directories: make them writable first
        announce(invocation, List.of("/bin/rm", "-rf", "--", target.toString()));
        runner.runOrFail(List.of("/bin/chmod", "-R", "u+rwX", "--", target.toString()), invocation.environment(),
                Path.of("/"));
        runner.runOrFail(List.of("/bin/rm", "-rf", "--", target.toString()), invocation.environment(), Path.of("/"));
    }

    /** pyxis logs each runtime command it runs (verbose): so does this runtime, with its own programs. */
    private static void announce(RuntimeInvocation invocation, List<String> argv) {
        invocation.log().running("charliecloud", argv);
    }

    private static Environment chEnvironment(RuntimeInvocation invocation, Path storageOfThisPull) {
        return invocation.environment().with("CH_IMAGE_STORAGE", storageOfThisPull.toString());
    }

    private void makeStorage() {
        containers.ensure();
    }

    private static CommandFailedException exists(Path target) {
        return new CommandFailedException(new CommandOutcome.Refused("File exists: " + target),
                List.of("File exists: " + target));
    }

    private static CommandFailedException missing(Path target) {
        return new CommandFailedException(new CommandOutcome.Refused("No such file or directory: " + target),
                List.of("No such file or directory: " + target));
    }
}
