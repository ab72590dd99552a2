package dev.jpyxis.dist.doctor;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.config.RuntimeKind;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.option.TriState;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.NodePorts;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.StartConfiguration;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks that depend on who runs them, run as the job user would be: the runtime's programs, a user namespace,
 * {@code /dev/fuse}, a tiny container created, started and removed through the same runtime adapter the engine uses,
 * and, when asked, an import from a registry.
 */
final class UserChecks {

    private final PluginConfig config;
    private final NodePorts node;
    private final CommandRunner runner;
    private final Environment environment;
    private final Optional<Path> image;
    private final Optional<String> registry;

    /**
     * @param environment the environment runtime commands run with (PATH, HOME, USER), as a step gives them
     * @param image       a squashfs image to start instead of the tiny one built here
     * @param registry    an image to import, to check the registry
     */
    UserChecks(PluginConfig config, NodePorts node, CommandRunner runner, Environment environment,
            Optional<Path> image, Optional<String> registry) {
        this.config = config;
        this.node = node;
        this.runner = runner;
        this.environment = environment;
        this.image = image;
        this.registry = registry;
    }

    List<Check> run() {
        List<Check> checks = new ArrayList<>();
        Check programs = programs();
        checks.add(programs);
        checks.add(userNamespace());
        if (config.useSquashfuse()) {
            checks.add(fuse());
        }
        if (programs.status() == Check.Status.FAIL) {
            checks.add(Check.skip("container", "not tried: the runtime is not installed", ""));
            return checks;
        }
        checks.add(guarded("container", this::container));
        registry.ifPresent(uri -> checks.add(guarded("registry", () -> registryImport(uri))));
        return checks;
    }

    /** A check that failed in an unforeseen way is a failed check, not a stack trace. */
    private static Check guarded(String name, java.util.function.Supplier<Check> check) {
        try {
            return check.get();
        } catch (RuntimeException unforeseen) {
            return Check.fail(name, "the check itself failed: " + unforeseen, "report this as a bug of jpyxis");
        }
    }

    /** The programs the configured runtime needs, found as slurmstepd finds them. */
    private Check programs() {
        List<String> needed = new ArrayList<>(config.runtime() == RuntimeKind.ENROOT ? List.of("enroot")
                : List.of("ch-run", "ch-image", "ch-convert", "unsquashfs"));
        if (config.useSquashfuse()) {
            needed.add("squashfuse");
        }
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String program : needed) {
            Optional<Path> path = Doctor.onPath(program);
            if (path.isPresent() && Files.isExecutable(path.get())) {
                found.add(path.get().toString());
            } else {
                missing.add(program);
            }
        }
        String runtime = config.runtime().keyword();
        if (!missing.isEmpty()) {
            return Check.fail("runtime", runtime + ": " + String.join(", ", missing) + " not found in "
                    + Doctor.DAEMON_PATH, config.runtime() == RuntimeKind.ENROOT
                    ? "install enroot (see runtimes.md in jpyxis's docs), or set runtime=charliecloud"
                    : "apt-get install charliecloud-runtime charliecloud-builders squashfs-tools"
                            + (config.useSquashfuse() ? " squashfuse" : ""));
        }
        return Check.ok("runtime", runtime + ": " + String.join(", ", found));
    }

    /** Whether this user may create a user namespace, which both runtimes need. */
    private Check userNamespace() {
        Optional<Path> unshare = Doctor.onPath("unshare");
        if (unshare.isEmpty()) {
            return Check.skip("user-namespace", "unshare(1) not found: not tried", "apt-get install util-linux");
        }
        CommandRunner.Result result = runner.run(List.of(unshare.get().toString(), "--user", "--map-root-user",
                "true"), environment, Path.of("/"));
        if (result.succeeded()) {
            return Check.ok("user-namespace", "this user can create a user namespace");
        }
        return Check.fail("user-namespace", "this user cannot create a user namespace: "
                + String.join(" / ", result.output()), "allow unprivileged user namespaces: sysctl"
                + " user.max_user_namespaces=15000 (and kernel.unprivileged_userns_clone=1 or"
                + " kernel.apparmor_restrict_unprivileged_userns=0 where the kernel has them)");
    }

    private Check fuse() {
        Path fuse = Path.of("/dev/fuse");
        if (Files.isReadable(fuse) && Files.isWritable(fuse)) {
            return Check.ok("fuse", "/dev/fuse is usable by this user (use_squashfuse)");
        }
        return Check.fail("fuse", "/dev/fuse is missing or not usable by this user, and use_squashfuse is set",
                "modprobe fuse; chmod 666 /dev/fuse (udev's default mode: keep it with a udev rule), or unset"
                        + " use_squashfuse");
    }

    /** Creates, starts and removes a container, as a step would. */
    private Check container() {
        Path work;
        try {
            work = Files.createTempDirectory("jpyxis-doctor-");
        } catch (IOException e) {
            return Check.fail("container", "cannot create a temporary directory: " + e.getMessage(),
                    "check that /tmp is writable");
        }
        try {
            Path squashfs;
            if (image.isPresent()) {
                squashfs = image.get().toAbsolutePath();
            } else {
                Optional<Path> mksquashfs = Doctor.onPath("mksquashfs");
                if (mksquashfs.isEmpty()) {
                    return Check.skip("container", "mksquashfs not found: no image to start was built",
                            "apt-get install squashfs-tools, or give --image FILE.sqsh");
                }
                squashfs = DoctorImage.build(work, mksquashfs.get().toString(), runner);
            }
            return start(squashfs, work);
        } catch (IOException e) {
            return Check.fail("container", "cannot build the test image: " + e.getMessage(),
                    "give an image with --image FILE.sqsh");
        } finally {
            runner.run(List.of("/bin/rm", "-rf", work.toString()), Environment.of("PATH", "/usr/bin:/bin"),
                    Path.of("/"));
        }
    }

    private Check start(Path squashfs, Path work) {
        ContainerRuntime runtime = node.runtime(config, Doctor.DAEMON_PATH);
        RuntimeInvocation invocation = new RuntimeInvocation(environment, work.toString());
        String name = "pyxis_doctor_" + ProcessHandle.current().pid();
        String step = "create";
        try {
            runtime.create(invocation, name, squashfs.toString());
            step = "start";
            StartConfiguration start = new StartConfiguration(name, false, image.isPresent() ? List.of()
                    : DoctorImage.mounts(), false, List.of(), TriState.UNSET, TriState.UNSET, TriState.UNSET,
                    Set.of(), environment, List.of("cat", "/etc/os-release"));
            ContainerLaunch launch = runtime.prepareStart(invocation, start);
            CommandRunner.Result started;
            try {
                started = runner.run(launch.argv(), launch.environment(), work);
            } finally {
                runtime.finishStart(launch);
            }
            if (!started.succeeded() || (image.isEmpty() && !started.output().contains(DoctorImage.MARK))) {
                return Check.fail("container", "the container did not start: " + String.join(" / ",
                        started.output()), fixFor(config));
            }
            step = "remove";
            runtime.remove(invocation, name);
            return Check.ok("container", "created, started and removed " + name + " with "
                    + config.runtime().keyword() + (image.isPresent() ? " from " + squashfs : ""));
        } catch (CommandFailedException failed) {
            if (!step.equals("create") && !step.equals("remove")) {
                removeQuietly(runtime, invocation, name);
            }
            return Check.fail("container", "the runtime's " + step + " failed: " + failed.outcome().line()
                    + tail(failed.log()), fixFor(config));
        } catch (PyxisException refused) {
            removeQuietly(runtime, invocation, name);
            return Check.fail("container", "the runtime's " + step + " failed: " + refused.getMessage(),
                    fixFor(config));
        }
    }

    private Check registryImport(String uri) {
        Path work;
        try {
            work = Files.createTempDirectory("jpyxis-doctor-registry-");
        } catch (IOException e) {
            return Check.fail("registry", "cannot create a temporary directory: " + e.getMessage(), "");
        }
        try {
            ContainerRuntime runtime = node.runtime(config, Doctor.DAEMON_PATH);
            runtime.importImage(new RuntimeInvocation(environment, work.toString()), uri,
                    work.resolve("registry.sqsh").toString());
            return Check.ok("registry", "imported " + uri);
        } catch (CommandFailedException failed) {
            return Check.fail("registry", "importing " + uri + " failed: " + failed.outcome().line()
                    + tail(failed.log()), "check the node's network, proxy and registry credentials"
                    + " (enroot: $ENROOT_CONFIG_PATH/.credentials)");
        } finally {
            runner.run(List.of("/bin/rm", "-rf", work.toString()), Environment.of("PATH", "/usr/bin:/bin"),
                    Path.of("/"));
        }
    }

    private static void removeQuietly(ContainerRuntime runtime, RuntimeInvocation invocation, String name) {
        try {
            runtime.remove(invocation, name);
        } catch (RuntimeException ignored) {
            // what could not be created cannot be removed
        }
    }

    private static String tail(List<String> log) {
        List<String> last = log.subList(Math.max(0, log.size() - 3), log.size());
        return last.isEmpty() ? "" : ": " + String.join(" / ", last);
    }

    private static String fixFor(PluginConfig config) {
        return config.runtime() == RuntimeKind.ENROOT
                ? "run 'enroot create' and 'enroot start' by hand as this user to see why; check ENROOT_DATA_PATH and"
                        + " ENROOT_RUNTIME_PATH in enroot.conf are writable by every user"
                : "run ch-convert and ch-run by hand as this user to see why";
    }
}
