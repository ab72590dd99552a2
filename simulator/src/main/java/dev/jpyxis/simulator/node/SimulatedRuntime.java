package dev.jpyxis.simulator.node;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.env.PytorchVariables;
import dev.jpyxis.domain.port.in.StartOutcome;
import dev.jpyxis.domain.port.out.FstabEntry;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.option.TriState;
import dev.jpyxis.domain.plan.NamespaceKind;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.CommandOutcome;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.ContainerListing;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.ImageDigest;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import dev.jpyxis.domain.port.out.StartConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A container runtime with enroot's semantics on a node's in-memory file system: a registry serving the scenario's
 * images, squashfs files, one root filesystem directory per container and user, and starts that create a stopped
 * first process in fresh namespaces of the simulated kernel.
 */
public final class SimulatedRuntime {

    /** Failures a scenario can inject into the runtime of a node. */
    public enum Fault { IMPORT_FAILS, CREATE_FAILS, START_FAILS, DISK_FULL }

    /** As the enroot adapter's traits: the admin's storage and network settings are never taken from the job. */
    public static final RuntimeTraits ENROOT = new RuntimeTraits("enroot", Set.of("ENROOT_LIBRARY_PATH",
            "ENROOT_SYSCONF_PATH", "ENROOT_RUNTIME_PATH", "ENROOT_CACHE_PATH", "ENROOT_DATA_PATH", "ENROOT_TEMP_PATH",
            "ENROOT_ZSTD_OPTIONS", "ENROOT_TRANSFER_RETRIES", "ENROOT_CONNECT_TIMEOUT", "ENROOT_MAX_CONNECTIONS",
            "ENROOT_ALLOW_HTTP"), EnumSet.allOf(RuntimeFeature.class));
    public static final RuntimeTraits CHARLIECLOUD = new RuntimeTraits("charliecloud", Set.of("CH_IMAGE_STORAGE"),
            EnumSet.of(RuntimeFeature.LOAD, RuntimeFeature.SQUASHFS_START, RuntimeFeature.MOUNT_OPTIONS,
                    RuntimeFeature.ENTRYPOINT, RuntimeFeature.UNSHARE_NET, RuntimeFeature.UNSHARE_IPC,
                    RuntimeFeature.UNSHARE_UTS), true);

    private static final String RC_LOCAL = "etc/rc.local";
    private static final String SKIP_ENTRYPOINT = "exec \"$@\"";

    /** Where containers live on a node: one directory per user ({@code user-UID}), one per container inside. */
    static final String STORAGE = "var/lib/runtime";

    /** How often each kind of command ran, for expectations. */
    public final Map<String, Integer> counts = new TreeMap<>();
    public final Set<Fault> faults = EnumSet.noneOf(Fault.class);
    /** Directories on a disk that is full: an import writing below one fails with ENOSPC. */
    public final Set<String> fullDisks = new java.util.TreeSet<>();
    /** Whether the node has squashfuse and a {@code /dev/fuse} users may open (a scenario may say it has not). */
    private boolean squashfuse = true;
    /** How many seconds an import or load of a reference takes. */
    private Map<String, Integer> slowImports = Map.of();
    /** Told when a command takes time: the seconds it takes, one call per second. */
    private Runnable secondPasses = () -> { };
    /** Told of every command, in words: {@code runtime: create pyxis_100.0 from /tmp/x.sqsh}. */
    private Consumer<String> commands = command -> { };

    private final RuntimeTraits traits;
    private final Path root;
    private final SimulatedKernel kernel;
    private final Map<String, SimulatedImage> registry;
    private final Map<String, StartConfiguration> starts = new HashMap<>();
    private int nextToken = 1;

    public SimulatedRuntime(RuntimeTraits traits, Path root, SimulatedKernel kernel,
            Map<String, SimulatedImage> registry) {
        this.traits = traits;
        this.root = root;
        this.kernel = kernel;
        this.registry = registry;
    }

    /** The runtime as the processes of user {@code uid} run it: that user's storage, the node's registry and disk. */
    public ContainerRuntime asUser(long uid) {
        return new UserRuntime(uid);
    }

    public void squashfuse(boolean available) {
        squashfuse = available;
    }

    public RuntimeTraits traits() {
        return traits;
    }

    public void slowImports(Map<String, Integer> seconds) {
        slowImports = Map.copyOf(seconds);
    }

    /** {@code listener} runs for every second a slow command takes, while it runs. */
    public void onSecondPassing(Runnable listener) {
        secondPasses = listener;
    }

    public void onCommand(Consumer<String> listener) {
        this.commands = listener;
    }

    /** Counts a command and tells of it. */
    void command(String what, String words) {
        counts.merge(what, 1, Integer::sum);
        commands.accept(words);
    }

    /** The user's container storage: like enroot's, found from the uid of the process running the runtime. */
    private Path data(long uid) {
        return root.resolve(STORAGE + "/user-" + uid);
    }

    public Path containerDirectory(long uid, String name) {
        return root.resolve(STORAGE + "/user-" + uid).resolve(name);
    }

    private Path host(RuntimeInvocation invocation, String path) {
        return DiskFiles.inside(root, path.startsWith("/") ? path : invocation.workingDirectory() + "/" + path);
    }

    static CommandFailedException failed(int code, String... log) {
        return new CommandFailedException(new CommandOutcome.Exited(4000 + code, code), List.of(log));
    }

    public List<ContainerListing> list(long uid, RuntimeInvocation invocation) {
        command("list", "runtime: list the containers of uid " + uid);
        Path data = data(uid);
        List<ContainerListing> listings = new ArrayList<>();
        if (!Files.isDirectory(data)) {
            return listings;
        }
        Map<Path, Long> running = runningRoots();
        try (Stream<Path> entries = Files.list(data)) {
            for (Path entry : entries.sorted().toList()) {
                Long pid = running.get(entry);
                String name = entry.getFileName().toString();
                listings.add(pid == null ? ContainerListing.stopped(name) : ContainerListing.running(name, pid));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return listings;
    }

    /** For each root filesystem a live process has as its root, the lowest such pid. */
    public Map<Path, Long> runningRoots() {
        Map<Path, Long> running = new LinkedHashMap<>();
        for (SimulatedKernel.Process process : kernel.live()) {
            SimulatedKernel.MountView view = kernel.mountView(process.namespace(NamespaceKind.MNT));
            if (view != null && !view.root().equals(kernel.hostRoot())) {
                running.merge(view.root(), process.pid(), Math::min);
            }
        }
        return running;
    }

    SimulatedImage pull(String uri) {
        if (faults.contains(Fault.DISK_FULL)) {
            throw failed(1, "[ERROR] No space left on device");
        }
        if (faults.contains(Fault.IMPORT_FAILS)) {
            throw failed(1, "[ERROR] Could not process JSON input", "curl: (7) Failed to connect");
        }
        String reference = uri.replaceFirst("^dockerd?://", "");
        SimulatedImage image = registry.get(reference);
        if (image == null) {
            throw failed(1, "[ERROR] URL https://registry/v2/" + reference + "/manifests returned error code: 404 "
                    + "Not Found");
        }
        for (int second = 0; second < slowImports.getOrDefault(reference, 0); second++) {
            secondPasses.run();
        }
        return image;
    }

    public void importImage(RuntimeInvocation invocation, String uri, String squashfsFile) {
        command("import", "runtime: import " + uri + " into " + squashfsFile);
        SimulatedImage image = pull(uri);
        if (diskFull(squashfsFile)) {
            throw failed(1, "[INFO] Creating squashfs filesystem...", "Write failed because No space left on device");
        }
        SquashfsFiles.write(host(invocation, squashfsFile), image);
    }

    /** Whether the path lies on a disk a scenario filled. */
    boolean diskFull(String path) {
        return fullDisks.stream().anyMatch(disk -> path.equals(disk) || path.startsWith(disk + "/"));
    }

    /**
     * The digest the registry gives an image now: a hash of its content, so that pushing other content under the same
     * tag changes it, as a registry's manifest digest does.
     */
    public ImageDigest digest(String uri) {
        SimulatedImage image = registry.get(uri.replaceFirst("^dockerd?://", ""));
        if (image == null) {
            return new ImageDigest.Unknown("the registry answered 404");
        }
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(
                    SquashfsFiles.text(image).getBytes(StandardCharsets.UTF_8));
            return new ImageDigest.Known("sha256:" + java.util.HexFormat.of().formatHex(hash));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void load(long uid, RuntimeInvocation invocation, String uri, String name) {
        command("load", "runtime: load " + uri + " as " + name);
        Path target = data(uid).resolve(name);
        if (Files.exists(target)) {
            throw failed(1, "[ERROR] File already exists: " + target);
        }
        SquashfsFiles.unpack(pull(uri), target);
    }

    public void create(long uid, RuntimeInvocation invocation, String name, String squashfsFile) {
        command("create", "runtime: create " + name + " from " + squashfsFile);
        if (faults.contains(Fault.DISK_FULL)) {
            throw failed(1, "[ERROR] Could not write: No space left on device");
        }
        if (faults.contains(Fault.CREATE_FAILS)) {
            throw failed(1, "[ERROR] Failed to create container filesystem");
        }
        Path target = data(uid).resolve(name);
        if (Files.exists(target)) {
            throw failed(1, "[ERROR] File already exists: " + target);
        }
        SimulatedImage image = SquashfsFiles.read(host(invocation, squashfsFile));
        if (image == null) {
            throw failed(1, "[ERROR] No such file or directory: " + squashfsFile);
        }
        SquashfsFiles.unpack(image, target);
    }

    public ContainerLaunch prepareStart(RuntimeInvocation invocation, StartConfiguration configuration) {
        String token = Integer.toString(nextToken++);
        Path conf = root.resolve("tmp/.enroot_config_" + token);
        try {
            DiskFiles.directory(conf.getParent());
            Files.writeString(conf, "# simulated start configuration " + token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        starts.put(token, configuration);
        List<String> argv = new ArrayList<>(List.of("/usr/local/bin/enroot", "start", "--conf", "/" + root.relativize(
                conf), configuration.target()));
        argv.addAll(configuration.command());
        return new ContainerLaunch(argv, configuration.environment(), List.of("/" + root.relativize(conf)));
    }

    public boolean finishStart(ContainerLaunch launch) {
        boolean removed = true;
        for (String file : launch.temporaryFiles()) {
            try {
                Files.deleteIfExists(DiskFiles.inside(root, file));
            } catch (IOException e) {
                removed = false;
            }
        }
        return removed;
    }

    /**
     * What running a start command does: the container's first process, in new user and mount namespaces (and any
     * unshared ones), with the image's environment, stopped in the image's working directory.
     *
     * @param taskCwd the directory of the task that runs the command, for relative mount sources
     */
    public StartOutcome launch(ContainerLaunch launch, long uid, String taskCwd) {
        String conf = launch.argv().get(3);
        StartConfiguration configuration = starts.get(conf.substring(conf.lastIndexOf('_') + 1));
        command("start", "runtime: start " + (configuration == null ? launch.argv().get(4) : configuration.target()));
        if (configuration == null || !Files.exists(DiskFiles.inside(root, conf))) {
            return new StartOutcome.Exited(1, List.of("[ERROR] No such file or directory: " + conf));
        }
        if (faults.contains(Fault.START_FAILS)) {
            return new StartOutcome.Exited(1, List.of("[ERROR] enroot-switchroot: failed to execute: sh"));
        }
        Path rootfs;
        if (configuration.fromSquashfsFile()) {
            SimulatedImage image = SquashfsFiles.read(DiskFiles.inside(root, taskRelative(taskCwd,
                    configuration.target())));
            if (image == null) {
                return new StartOutcome.Exited(1, List.of("[ERROR] Invalid image: " + configuration.target()));
            }
            rootfs = root.resolve("run/squashfuse/" + conf.substring(conf.lastIndexOf('_') + 1));
            SquashfsFiles.unpack(image, rootfs);
        } else {
            rootfs = containerDirectory(uid, configuration.target());
            if (!Files.isDirectory(rootfs)) {
                return new StartOutcome.Exited(1, List.of("[ERROR] No such file or directory: " + rootfs));
            }
        }
        Map<String, SimulatedKernel.Mount> mounts = new LinkedHashMap<>();
        List<String> log = new ArrayList<>();
        for (FstabEntry entry : configuration.mounts()) {
            String error = mount(mounts, entry, taskCwd);
            if (error != null) {
                return new StartOutcome.Exited(1, List.of(error));
            }
        }
        SimulatedImage metadata = SquashfsFiles.metadata(rootfs);
        boolean hasEntrypoint = !metadata.entrypointEnvironment().isEmpty() || !metadata.entrypointOutput().isEmpty();
        if (!configuration.executeEntrypoint() && hasEntrypoint) {
            suppressEntrypoint(rootfs);
        }
        Environment env = containerEnvironment(configuration, rootfs, mounts);
        if (configuration.executeEntrypoint() && hasEntrypoint && !entrypointSuppressed(rootfs)) {
            for (var variable : metadata.entrypointEnvironment().entrySet()) {
                env = env.with(variable.getKey(), variable.getValue());
            }
            log.addAll(metadata.entrypointOutput());
        }
        boolean writable = configuration.writable() == TriState.TRUE;
        SimulatedKernel.Process process = kernel.spawn(uid, env, metadata.workdir());
        process.join(NamespaceKind.USER, kernel.newNamespace(NamespaceKind.USER));
        process.join(NamespaceKind.CGROUP, kernel.newNamespace(NamespaceKind.CGROUP));
        process.join(NamespaceKind.MNT, kernel.newMountNamespace(new SimulatedKernel.MountView(rootfs, writable,
                mounts)));
        for (Namespace namespace : configuration.unshare()) {
            NamespaceKind kind = NamespaceKind.valueOf(namespace.name());
            process.join(kind, kernel.newNamespace(kind));
        }
        process.uidMap((configuration.remapRoot() == TriState.TRUE ? "0 " : uid + " ") + uid + " 1");
        kernel.stop(process);
        return new StartOutcome.Stopped(process.pid(), log);
    }

    /**
     * How pyxis skips the entrypoint (docs/pyxis-compatibility.md#entrypoint): {@code exec "$@"} in the rootfs's
     * {@code /etc/rc.local}, which {@code /etc/rc} sources first. It stays in a persistent rootfs, as with enroot.
     */
    private static void suppressEntrypoint(Path rootfs) {
        try {
            DiskFiles.directory(rootfs.resolve("etc"));
            Files.writeString(rootfs.resolve(RC_LOCAL), SKIP_ENTRYPOINT + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean entrypointSuppressed(Path rootfs) {
        try {
            return Files.isRegularFile(rootfs.resolve(RC_LOCAL))
                    && Files.readString(rootfs.resolve(RC_LOCAL), StandardCharsets.UTF_8).contains(SKIP_ENTRYPOINT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String taskRelative(String cwd, String path) {
        return path.startsWith("/") ? path : cwd + "/" + path;
    }

    private String mount(Map<String, SimulatedKernel.Mount> mounts, FstabEntry entry, String taskCwd) {
        boolean readOnly = List.of(entry.options().split(",")).contains("ro");
        String target = root.getFileSystem().getPath("/").resolve(entry.target()).normalize().toString();
        switch (entry.source()) {
            case "umount" -> mounts.remove(target);
            case "tmpfs" -> {
                Path dir = root.resolve("run/tmpfs/" + (mounts.size() + nextToken++));
                try {
                    DiskFiles.directory(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                mounts.put(target, new SimulatedKernel.Mount(dir, !readOnly));
            }
            default -> {
                Path source = DiskFiles.inside(root, taskRelative(taskCwd, entry.source()));
                if (!Files.exists(source)) {
                    return "enroot-mount: failed to mount: " + entry.source() + ": No such file or directory";
                }
                mounts.put(target, new SimulatedKernel.Mount(source, !readOnly));
            }
        }
        return null;
    }

    /**
     * As enroot builds it: the image's {@code /etc/environment}, then {@code --container-env} names set and non-empty in
     * the runtime environment, then the home hook, then login defaults for what is still unset.
     */
    private Environment containerEnvironment(StartConfiguration configuration, Path rootfs,
            Map<String, SimulatedKernel.Mount> mounts) {
        Environment env = Environment.empty();
        try {
            env = Environment.fromEntries(DiskFiles.readLines(rootfs.resolve("etc/environment")));
        } catch (IOException missing) {
            // an image without environment
        }
        for (String name : configuration.environmentNames()) {
            var value = configuration.environment().get(name);
            if (value.isPresent() && !value.get().isEmpty()) {
                env = env.with(name, value.get());
            }
        }
        var home = configuration.environment().get("HOME");
        if (configuration.mountHome() == TriState.TRUE && home.isPresent()) {
            String target = configuration.remapRoot() == TriState.TRUE ? "/root" : home.get();
            mounts.put(target, new SimulatedKernel.Mount(DiskFiles.inside(root, home.get()), true));
            env = env.with("HOME", target);
        }
        for (String variable : List.of("SLURM_JOB_ID", "SLURM_STEP_ID", "SLURM_NTASKS")) {
            var value = configuration.environment().get(variable);
            if (value.isPresent() && !env.contains(variable)) {
                env = env.with(variable, value.get());
            }
        }
        if (traits.has(RuntimeFeature.PYTORCH_HOOK)) {
            // enroot's 50-slurm-pytorch.sh; RANK and LOCAL_RANK stay unset there, their sources never reaching it
            env = PytorchVariables.fill(env, configuration.environment());
        }
        if (!env.contains("PATH")) {
            env = env.with("PATH", "/usr/local/bin:/usr/bin:/bin");
        }
        return env;
    }

    public void export(long uid, RuntimeInvocation invocation, String name, String squashfsFile) {
        command("export", "runtime: export " + name + " to " + squashfsFile);
        Path source = data(uid).resolve(name);
        if (!Files.isDirectory(source)) {
            throw failed(1, "[ERROR] No such file or directory: " + source);
        }
        if (faults.contains(Fault.DISK_FULL)) {
            throw failed(1, "[ERROR] mksquashfs: No space left on device");
        }
        SquashfsFiles.write(host(invocation, squashfsFile), SquashfsFiles.pack(source));
    }

    public void remove(long uid, RuntimeInvocation invocation, String name) {
        command("remove", "runtime: remove " + name);
        Path target = data(uid).resolve(name);
        if (!Files.isDirectory(target)) {
            throw failed(1, "[ERROR] No such file or directory: " + target);
        }
        DiskFiles.deleteTree(target);
    }

    private final class UserRuntime implements ContainerRuntime {

        private final long uid;

        UserRuntime(long uid) {
            this.uid = uid;
        }

        @Override
        public RuntimeTraits traits() {
            return traits;
        }

        @Override
        public boolean startsSquashfsDirectly(RuntimeInvocation invocation) {
            return squashfuse && traits.has(RuntimeFeature.SQUASHFS_START);
        }

        @Override
        public List<ContainerListing> list(RuntimeInvocation invocation) {
            return SimulatedRuntime.this.list(uid, invocation);
        }

        @Override
        public void importImage(RuntimeInvocation invocation, String uri, String squashfsFile) {
            SimulatedRuntime.this.importImage(invocation, uri, squashfsFile);
        }

        @Override
        public void load(RuntimeInvocation invocation, String uri, String name) {
            SimulatedRuntime.this.load(uid, invocation, uri, name);
        }

        @Override
        public void create(RuntimeInvocation invocation, String name, String squashfsFile) {
            SimulatedRuntime.this.create(uid, invocation, name, squashfsFile);
        }

        @Override
        public ContainerLaunch prepareStart(RuntimeInvocation invocation, StartConfiguration configuration) {
            return SimulatedRuntime.this.prepareStart(invocation, configuration);
        }

        @Override
        public boolean finishStart(ContainerLaunch launch) {
            return SimulatedRuntime.this.finishStart(launch);
        }

        @Override
        public void export(RuntimeInvocation invocation, String name, String squashfsFile) {
            SimulatedRuntime.this.export(uid, invocation, name, squashfsFile);
        }

        @Override
        public void remove(RuntimeInvocation invocation, String name) {
            SimulatedRuntime.this.remove(uid, invocation, name);
        }
    }
}
