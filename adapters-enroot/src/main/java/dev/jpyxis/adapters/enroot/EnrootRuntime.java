package dev.jpyxis.adapters.enroot;

import dev.jpyxis.domain.env.ByteText;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.option.TriState;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.ContainerListing;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import dev.jpyxis.domain.port.out.StartConfiguration;
import dev.jpyxis.exec.CommandRunner;
import dev.jpyxis.exec.EarlyAnswer;
import dev.jpyxis.exec.ProcessMark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The runtime port over the enroot command line (docs/runtimes.md#enroot-default). Every command is an argv array run
 * as the job user with the environment the domain built; the start configuration becomes an enroot {@code --conf}
 * script plus the {@code ENROOT_*} toggles for the options the user gave.
 */
public final class EnrootRuntime implements ContainerRuntime {

    /**
     * Admin-controlled storage and network settings: never taken from the job
     * (docs/pyxis-compatibility.md#runtime-environment).
     */
    static final Set<String> PROTECTED = Set.of("ENROOT_LIBRARY_PATH", "ENROOT_SYSCONF_PATH", "ENROOT_RUNTIME_PATH",
            "ENROOT_CACHE_PATH", "ENROOT_DATA_PATH", "ENROOT_TEMP_PATH", "ENROOT_ZSTD_OPTIONS",
            "ENROOT_TRANSFER_RETRIES", "ENROOT_CONNECT_TIMEOUT", "ENROOT_MAX_CONNECTIONS", "ENROOT_ALLOW_HTTP");

    public static final RuntimeTraits TRAITS = new RuntimeTraits("enroot", PROTECTED,
            EnumSet.allOf(RuntimeFeature.class));

    private final String enroot;
    private final CommandRunner runner;
    private final Path configDirectory;
    private final ContainerProcesses processes;
    private final AtomicReference<EarlyAnswer<List<String>>> namesAhead = new AtomicReference<>();

    /**
     * @param enroot          the enroot program, by absolute path
     * @param configDirectory where start configuration scripts are written (pyxis: the host's {@code /tmp})
     */
    public EnrootRuntime(String enroot, CommandRunner runner, Path configDirectory) {
        this(enroot, runner, configDirectory, Path.of("/proc"));
    }

    EnrootRuntime(String enroot, CommandRunner runner, Path configDirectory, Path proc) {
        this.enroot = enroot;
        this.runner = runner;
        this.configDirectory = configDirectory;
        this.processes = new ContainerProcesses(proc);
    }

    /** Finds {@code enroot} in a search path; falls back to the bare name so a failure says what is missing. */
    public static String locate(String searchPath) {
        for (String dir : searchPath.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "enroot");
            if (candidate.isAbsolute() && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return "/usr/bin/enroot";
    }

    @Override
    public RuntimeTraits traits() {
        return TRAITS;
    }

    /** enroot mounts the file with squashfuse and overlays it with fuse-overlayfs (or the kernel's overlayfs). */
    @Override
    public boolean startsSquashfsDirectly(RuntimeInvocation invocation) {
        String path = invocation.environment().get("PATH").orElse("");
        return onPath(path, "squashfuse") && onPath(path, "fuse-overlayfs") && fuseDevice();
    }

    static boolean onPath(String searchPath, String program) {
        for (String dir : searchPath.split(":")) {
            if (dir.startsWith("/") && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static boolean fuseDevice() {
        Path fuse = Path.of("/dev/fuse");
        return Files.isReadable(fuse) && Files.isWritable(fuse);
    }

    /**
     * What {@code enroot list -f} says, for less: the names from {@code enroot list}, the running ones found in
     * {@code /proc} by {@link ContainerProcesses}; {@code enroot list -f} itself only when {@code /proc} cannot be read.
     */
    @Override
    public List<ContainerListing> list(RuntimeInvocation invocation) {
        List<String> names = names(invocation);
        Map<String, Long> running;
        try {
            running = processes.firstPids(new HashSet<>(names));
        } catch (IOException | RuntimeException unreadable) {
            return parseList(run(invocation, List.of(enroot, "list", "-f")).output());
        }
        return names.stream().sorted().map(name -> running.containsKey(name)
                ? ContainerListing.running(name, running.get(name)) : ContainerListing.stopped(name)).toList();
    }

    /**
     * Begins {@code enroot list} now, for the listing the step will ask for: enroot's bash takes 25 to 30 ms to list a
     * directory, which a named step would otherwise wait for between {@code user_init} and its first task.
     */
    @Override
    public void listSoon(RuntimeInvocation invocation) {
        namesAhead.set(EarlyAnswer.begin("enroot-list-ahead", invocation, this::listNames));
    }

    /**
     * {@code enroot list}: one name per line, no header, no process scan (the job epilog's listing, as pyxis's); the
     * one begun by {@link #listSoon} when it was begun for this invocation.
     */
    @Override
    public List<String> names(RuntimeInvocation invocation) {
        EarlyAnswer<List<String>> ahead = namesAhead.getAndSet(null);
        Optional<List<String>> early = ahead == null ? Optional.empty() : ahead.take(invocation);
        return early.isPresent() ? early.get() : listNames(invocation);
    }

    private List<String> listNames(RuntimeInvocation invocation) {
        return run(invocation, List.of(enroot, "list")).output().stream().map(String::strip)
                .filter(name -> !name.isEmpty()).toList();
    }

    /** The kernel's highest possible pid (PID_MAX_LIMIT on 64-bit). */
    private static final long MAX_PID = 4_194_304;

    /**
     * Reads {@code enroot list -f}: a header, then one line per container, {@code NAME [PID ...]}; lines for further
     * processes of a container start with blanks and are skipped. Warnings on stderr (captured with stdout) may come
     * before the header: they are skipped too. A pid must be one the kernel can give, as tasks will join it.
     */
    static List<ContainerListing> parseList(List<String> output) {
        int header = 0;
        while (header < output.size() && !output.get(header).startsWith("NAME")) {
            header++;
        }
        if (header == output.size()) {
            throw new PyxisException(List.of("pyxis: \"enroot list -f\" did not produce any usable output",
                    "pyxis: couldn't get list of existing container filesystems"));
        }
        List<ContainerListing> listings = new ArrayList<>();
        for (String line : output.subList(header + 1, output.size())) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            String[] tokens = line.trim().split("\\s+");
            if (tokens.length == 1) {
                listings.add(ContainerListing.stopped(tokens[0]));
                continue;
            }
            try {
                long pid = Long.parseLong(tokens[1]);
                if (pid < 2 || pid > MAX_PID) {
                    throw new NumberFormatException(tokens[1]);
                }
                listings.add(ContainerListing.running(tokens[0], pid));
            } catch (NumberFormatException bad) {
                throw new PyxisException(List.of("pyxis: \"enroot list -f\" gave an invalid pid: " + tokens[1],
                        "pyxis: couldn't get list of existing container filesystems"));
            }
        }
        return listings;
    }

    @Override
    public void importImage(RuntimeInvocation invocation, String uri, String squashfsFile) {
        run(invocation, List.of(enroot, "import", "--output", squashfsFile, uri));
    }

    @Override
    public void load(RuntimeInvocation invocation, String uri, String name) {
        run(invocation, List.of(enroot, "load", "--name", name, uri));
    }

    @Override
    public void create(RuntimeInvocation invocation, String name, String squashfsFile) {
        try {
            run(invocation, List.of(enroot, "create", "--name", name, squashfsFile));
        } catch (CommandFailedException failed) {
            if (failed.log().stream().noneMatch(line -> line.contains(ALREADY_EXISTS) || line.contains(EXISTS))) {
                // enroot keeps what unsquashfs wrote before it failed (a full disk, a killed unpack): no later step
                // may find half a root filesystem under the name; one that existed is another step's, and stays
                runner.run(List.of(enroot, "remove", "-f", name), invocation);
            }
            throw failed;
        }
    }

    /** What enroot says when the name is taken, and what unsquashfs says when another create took it meanwhile. */
    static final String ALREADY_EXISTS = "File already exists";
    static final String EXISTS = "File exists";

    /** A start configuration's name: then the engine's mark and a random number. */
    static final String CONFIG_PREFIX = ".enroot_config_";

    @Override
    public ContainerLaunch prepareStart(RuntimeInvocation invocation, StartConfiguration configuration) {
        removeConfigurationsOfGoneEngines();
        Path script;
        try {
            script = Files.createTempFile(configDirectory, CONFIG_PREFIX
                    + ProcessMark.self().map(ProcessMark::prefix).orElse(""), "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(script, ByteText.encode(EnrootConfigScript.render(configuration)));
        } catch (IOException e) {
            throw new PyxisException("pyxis: couldn't write the enroot start configuration: " + e.getMessage());
        }
        List<String> argv = new ArrayList<>(List.of(enroot, "start", "--conf", script.toString(),
                configuration.target()));
        argv.addAll(configuration.command());
        invocation.log().add(Diagnostic.verbose("pyxis: enroot start configuration script:"));
        EnrootConfigScript.render(configuration).lines()
                .forEach(line -> invocation.log().add(Diagnostic.verbose("pyxis:     " + line)));
        invocation.log().running("enroot", asPyxisShowsIt(argv));
        return new ContainerLaunch(argv, startEnvironment(configuration), List.of(script.toString()));
    }

    /**
     * An engine killed before the start's end (SIGKILL, the OOM killer) leaves its start configuration: the user's
     * next start on the node removes it.
     */
    private void removeConfigurationsOfGoneEngines() {
        for (Path left : ProcessMark.leftByGoneProcesses(configDirectory, CONFIG_PREFIX)) {
            try {
                Files.deleteIfExists(left);
            } catch (IOException undeletable) {
                // what is left costs a few bytes, until the next start
            }
        }
    }

    /** The runtime environment plus the {@code ENROOT_*} toggles of the options the user gave (and only those). */
    static Environment startEnvironment(StartConfiguration configuration) {
        Environment env = configuration.environment();
        env = toggle(env, "ENROOT_MOUNT_HOME", configuration.mountHome());
        env = toggle(env, "ENROOT_REMAP_ROOT", configuration.remapRoot());
        env = toggle(env, "ENROOT_ROOTFS_WRITABLE", configuration.writable());
        if (configuration.unshare().contains(Namespace.NET)) {
            env = env.with("ENROOT_UNSHARE_NET", "y");
        }
        if (configuration.unshare().contains(Namespace.IPC)) {
            env = env.with("ENROOT_UNSHARE_IPC", "y");
        }
        if (configuration.unshare().contains(Namespace.UTS)) {
            env = env.with("ENROOT_UNSHARE_UTS", "y");
        }
        return env;
    }

    private static Environment toggle(Environment env, String name, TriState value) {
        return value.isSet() ? env.with(name, value == TriState.TRUE ? "y" : "n") : env;
    }

    @Override
    public boolean finishStart(ContainerLaunch launch) {
        boolean removed = true;
        for (String file : launch.temporaryFiles()) {
            try {
                Files.deleteIfExists(Path.of(file));
            } catch (IOException e) {
                removed = false;
            }
        }
        return removed;
    }

    @Override
    public void export(RuntimeInvocation invocation, String name, String squashfsFile) {
        run(invocation, List.of(enroot, "export", "-f", "-o", squashfsFile, name));
    }

    @Override
    public void remove(RuntimeInvocation invocation, String name) {
        run(invocation, List.of(enroot, "remove", "-f", name));
    }

    private CommandRunner.Result run(RuntimeInvocation invocation, List<String> argv) {
        invocation.log().running("enroot", asPyxisShowsIt(argv));
        return runner.runOrFail(argv, invocation);
    }

    /** pyxis runs {@code enroot} through {@code PATH}, so its log shows the bare name where this runs a full path. */
    private static List<String> asPyxisShowsIt(List<String> argv) {
        List<String> shown = new ArrayList<>(argv);
        shown.set(0, "enroot");
        return shown;
    }
}
