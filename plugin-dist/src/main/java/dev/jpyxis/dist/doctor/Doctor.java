package dev.jpyxis.dist.doctor;

import dev.jpyxis.adapters.slurm.shim.ShimValues;
import dev.jpyxis.dist.engine.JvmLayout;
import dev.jpyxis.dist.doctor.PlugstackFiles.PluginLine;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.in.CheckConfiguration;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.out.NodePorts;
import dev.jpyxis.exec.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jpyxis doctor}: checks that this node can run containerised steps, and says how to fix what is missing. As
 * root it checks the node (plugstack line, shim, JVM and startup cache, runtime_path, importer, user namespaces),
 * then runs itself again as an unprivileged user for what depends on the user (the runtime, a tiny container start,
 * the registry). As a user it checks everything it can see, as that user.
 */
public final class Doctor {

    /** The search path the checks use for programs: slurmd's under systemd, which slurmstepd passes on. */
    static final String DAEMON_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** The lowest Java release the engine runs on. */
    private static final int JAVA_MINIMUM = 17;

    /**
     * What to check, and where.
     *
     * @param plugstack    the plugstack.conf to read; empty: the one slurm.conf names
     * @param user         as root, the unprivileged user the per-user checks run as; empty: the one that ran sudo,
     *                     else the first ordinary user with a login shell
     * @param image        a squashfs image for the container check instead of the tiny one
     * @param registry     an image to import, to check the registry
     * @param libDirectory the distribution's {@code lib} directory (where this tool runs from)
     * @param environment  this process's environment ({@code SLURM_CONF}, {@code HOME}, {@code JAVA_HOME})
     */
    public record Settings(Optional<Path> plugstack, Optional<String> user, Optional<Path> image, Optional<String> registry,
            Path libDirectory, Environment environment) {
    }

    /** What doctor found, and as whom. */
    public record Report(String node, String user, List<Check> checks) {
        /** Whether a containerised step would work: no check failed. */
        public boolean ok() {
            return checks.stream().noneMatch(check -> check.status() == Check.Status.FAIL);
        }
    }

    private final Settings settings;
    private final NodePorts node;
    private final CheckConfiguration configurationCheck;
    private final CommandRunner runner = new CommandRunner();
    /** The shim the plugstack line names, once read. */
    private Optional<Path> shimPath = Optional.empty();

    public Doctor(Settings settings, NodePorts node, CheckConfiguration configurationCheck) {
        this.settings = settings;
        this.node = node;
        this.configurationCheck = configurationCheck;
    }

    /** Every check, as this user (and, as root, as the unprivileged user too). */
    public Report run() {
        List<Check> checks = new ArrayList<>();
        PluginConfig config = plugstack(checks);
        boolean root = uid() == 0;
        checks.add(shim());
        Optional<Path> java = java(config, checks);
        java.ifPresent(path -> checks.add(startupCache(path)));
        checks.add(runtimePath(config, root));
        config.importer().ifPresent(importer -> checks.add(importer(importer)));
        checks.add(userNamespaceLimits());
        checks.add(subordinateIds(config));
        if (root) {
            checks.addAll(asUnprivilegedUser());
        } else {
            checks.addAll(userChecks(config, settings.environment()));
        }
        return new Report(hostname(), root ? "root" : userName(), checks);
    }

    /** Only the per-user checks, as this user: what doctor run as root asks of the unprivileged user. */
    public List<Check> runAsJobUser() {
        List<Check> plugstack = new ArrayList<>();
        PluginConfig config = plugstack(plugstack);
        // srun reads plugstack.conf as the user: that it cannot is a finding of its own
        List<Check> checks = new ArrayList<>(plugstack.stream().filter(check -> check.status() == Check.Status.FAIL)
                .toList());
        checks.addAll(userChecks(config, settings.environment()));
        return checks;
    }

    private List<Check> userChecks(PluginConfig config, Environment environment) {
        Environment runtimeEnvironment = Environment.of("PATH", DAEMON_PATH, "HOME",
                environment.get("HOME").orElse("/"), "USER", userName(), "LOGNAME", userName());
        return new UserChecks(config, node, runner, runtimeEnvironment, settings.image(), settings.registry()).run();
    }

    // ---- the plugstack line

    private Path plugstackFile() throws IOException {
        if (settings.plugstack().isPresent()) {
            return settings.plugstack().get();
        }
        return PlugstackFiles.of(Path.of(settings.environment().get("SLURM_CONF").orElse("/etc/slurm/slurm.conf")));
    }

    /** Finds the plugin's plugstack line and checks its arguments; the configuration they give (or the defaults). */
    private PluginConfig plugstack(List<Check> checks) {
        Path file;
        List<PluginLine> lines;
        try {
            file = plugstackFile();
            if (!Files.exists(file)) {
                checks.add(Check.fail("plugstack", file + " does not exist", "create it with the line 'required "
                        + settings.libDirectory().resolve("spank_pyxis.so") + "' (see install.md in jpyxis's docs)"));
                return PluginConfig.defaults();
            }
            lines = PlugstackFiles.pluginLines(file).stream()
                    .filter(line -> Path.of(line.path()).getFileName().toString().equals("spank_pyxis.so")).toList();
        } catch (IOException | RuntimeException unreadable) {
            checks.add(Check.fail("plugstack", "cannot read the plugstack configuration: " + unreadable.getMessage(),
                    "make plugstack.conf and the files it includes readable by every user"));
            return PluginConfig.defaults();
        }
        if (lines.isEmpty()) {
            checks.add(Check.fail("plugstack", "no line of " + file + " (or the files it includes) names"
                    + " spank_pyxis.so", "add 'required " + settings.libDirectory().resolve("spank_pyxis.so")
                    + "' to it, or 'include /etc/slurm/plugstack.conf.d/*.conf' for the Debian package's"
                    + " jpyxis.conf; then restart slurmd"));
            return PluginConfig.defaults();
        }
        if (lines.size() > 1) {
            checks.add(Check.fail("plugstack", "two lines name spank_pyxis.so: " + lines.get(0).where() + " and "
                    + lines.get(1).where(), "keep one: pyxis and jpyxis cannot both be loaded"));
        }
        PluginLine line = lines.get(0);
        shimPath = Optional.of(Path.of(line.path()));
        HookOutcome outcome = configurationCheck.check(line.arguments());
        if (outcome.failed()) {
            checks.add(Check.fail("plugstack", line.where() + ": " + line.text() + ": " + outcome.diagnostics()
                    .stream().map(Diagnostic::text).reduce((a, b) -> a + " / " + b).orElse(""),
                    "fix the arguments (configuration.md in jpyxis's docs); slurmd refuses to start with them"));
            return PluginConfig.defaults();
        }
        if (!line.keyword().equals("required")) {
            checks.add(Check.warn("plugstack", line.where() + ": " + line.text(), "write 'required', not '"
                    + line.keyword() + "': Slurm ignores the failures of optional plugins, so a container that"
                    + " cannot start would not fail the step"));
        } else {
            checks.add(Check.ok("plugstack", line.where() + ": " + line.text()));
        }
        return PluginConfig.parse(line.arguments());
    }

    private Check shim() {
        if (shimPath.isEmpty()) {
            return Check.skip("shim", "no plugstack line to read its path from", "");
        }
        Path path = shimPath.get();
        if (!path.isAbsolute()) {
            return Check.warn("shim", path + " is relative: Slurm looks for it in its PluginDir",
                    "give the absolute path " + settings.libDirectory().resolve("spank_pyxis.so"));
        }
        if (!Files.isRegularFile(path)) {
            return Check.fail("shim", path + " does not exist", "install jpyxis there, or correct the plugstack line");
        }
        if (!readableByAll(path)) {
            return Check.fail("shim", path + " is not readable by every user (srun loads it as the user)",
                    "chmod a+rX " + path.getParent() + " and its files");
        }
        try {
            Path ours = settings.libDirectory().resolve("spank_pyxis.so");
            if (Files.exists(ours) && !Files.isSameFile(path, ours)) {
                return Check.warn("shim", path + " is not this tool's " + ours + ": their versions may differ",
                        "run the doctor of the distribution the plugstack line names");
            }
        } catch (IOException e) {
            return Check.warn("shim", path + ": " + e.getMessage(), "");
        }
        return Check.ok("shim", path.toString());
    }

    // ---- the engine's JVM

    private Optional<Path> java(PluginConfig config, List<Check> checks) {
        Optional<Path> found = JvmLayout.javaOfTheShim(settings.libDirectory(), config.java());
        if (found.isEmpty()) {
            checks.add(Check.fail("java", "no java in /usr/local/bin:/usr/bin:/bin, none chosen by 'jpyxis install',"
                    + " and plugstack sets no java=", "apt-get install default-jre-headless (Java " + JAVA_MINIMUM
                    + " or newer), then run 'jpyxis install' as root"));
            return Optional.empty();
        }
        Path java = found.get();
        if (!Files.isExecutable(java)) {
            checks.add(Check.fail("java", java + " is not an executable", "correct java= on the plugstack line"));
            return Optional.empty();
        }
        int feature = featureVersion(java);
        if (feature < JAVA_MINIMUM) {
            checks.add(Check.fail("java", java + " is Java " + (feature < 0 ? "of an unknown release" : feature),
                    "install Java " + JAVA_MINIMUM + " or newer and name it with java= on the plugstack line"));
            return Optional.empty();
        }
        checks.add(Check.ok("java", java + " (Java " + feature + ")"));
        return Optional.of(java);
    }

    private int featureVersion(Path java) {
        CommandRunner.Result result = runner.run(List.of(java.toString(), "-XshowSettings:properties", "-version"),
                Environment.of("PATH", "/usr/bin:/bin"), Path.of("/"));
        for (String line : result.output()) {
            String trimmed = line.strip();
            if (trimmed.startsWith("java.specification.version = ")) {
                try {
                    return Integer.parseInt(trimmed.substring("java.specification.version = ".length()).strip());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    private static final Pattern CACHE_FLAG = Pattern.compile("-XX:(SharedArchiveFile|AOTCache)=(.+)");

    /** The engine starts with the flags {@code jpyxis install} wrote, and the startup cache is this JVM's. */
    private Check startupCache(Path java) {
        Path args = JvmLayout.argumentsOfTheShim(settings.libDirectory(), java);
        if (!Files.isReadable(args)) {
            return Check.fail("startup-cache", args + " is missing", "run 'jpyxis install' as root");
        }
        Optional<Matcher> cache;
        try {
            cache = Files.readAllLines(args, StandardCharsets.UTF_8).stream().map(String::strip)
                    .map(CACHE_FLAG::matcher).filter(Matcher::matches).findFirst();
        } catch (IOException e) {
            return Check.fail("startup-cache", args + ": " + e.getMessage(), "run 'jpyxis install' as root");
        }
        // started as the shim starts it (adapters-slurm/src/main/c/engine.c), without a mode: it prints its usage
        CommandRunner.Result started = startEngine(java, args, Optional.empty());
        boolean engineAnswered = answered(started);
        String fix = "run 'jpyxis install --java " + java + "' as root, again after every JDK update";
        if (!engineAnswered) {
            return Check.fail("startup-cache", "the engine does not start with " + args + " and " + java + ": "
                    + String.join(" / ", started.output()), fix);
        }
        if (cache.isEmpty()) {
            return Check.warn("startup-cache", "the engine starts, without a startup cache",
                    fix + ": every step's engine starts faster with it");
        }
        Path file = Path.of(cache.get().group(2));
        // the cache forced on: a JVM that cannot use it fails instead of silently starting slower
        CommandRunner.Result forced = startEngine(java, args, Optional.of(cache.get().group(1).equals("AOTCache")
                ? "-XX:AOTMode=on" : "-Xshare:on"));
        if (!answered(forced)) {
            return Check.warn("startup-cache", file + " is not usable by " + java + ", so every step's engine starts"
                    + " slower: " + String.join(" / ", forced.output()), fix);
        }
        if (!readableByAll(file)) {
            return Check.fail("startup-cache", file + " is not readable by every user (the engine runs as the"
                    + " job's user)", "chmod a+r " + file);
        }
        return Check.ok("startup-cache", file + " matches " + java);
    }

    private CommandRunner.Result startEngine(Path java, Path args, Optional<String> extraFlag) {
        Path lib = settings.libDirectory();
        List<String> command = new ArrayList<>(List.of(java.toString(), "@" + args));
        extraFlag.ifPresent(command::add);
        command.addAll(List.of("-cp", lib + "/*", ShimValues.ENGINE_MAIN));
        return runner.run(command, Environment.of("PATH", "/usr/local/bin:/usr/bin:/bin", "LC_ALL", "C.UTF-8"),
                Path.of("/"));
    }

    private static boolean answered(CommandRunner.Result started) {
        return started.output().stream().anyMatch(line -> line.startsWith("usage: EngineMain"));
    }

    // ---- the node

    private Check runtimePath(PluginConfig config, boolean root) {
        Path path = Path.of(config.runtimePath());
        if (!Files.isDirectory(path)) {
            return Check.warn("runtime_path", path + " does not exist yet", "slurmd creates it when it starts:"
                    + " restart slurmd (/run is emptied at boot), or mkdir -m 0755 " + path);
        }
        try {
            PosixFileAttributes attributes = Files.readAttributes(path, PosixFileAttributes.class);
            Set<PosixFilePermission> modes = attributes.permissions();
            if (!attributes.owner().getName().equals("root") || modes.contains(PosixFilePermission.GROUP_WRITE)
                    || modes.contains(PosixFilePermission.OTHERS_WRITE)) {
                return Check.fail("runtime_path", path + " is owned by " + attributes.owner().getName()
                        + " with mode " + java.nio.file.attribute.PosixFilePermissions.toString(modes)
                        + ": users could tamper with each other's files", "chown root:root " + path + "; chmod 0755 "
                        + path);
            }
            if (!root) {
                Path own = path.resolve(Long.toString(uid()));
                if (Files.exists(own) && !Files.isWritable(own)) {
                    return Check.fail("runtime_path", own + " is not writable by this user",
                            "remove it as root: the next step recreates it, mode 0700, owned by the user");
                }
            }
        } catch (IOException | UnsupportedOperationException e) {
            return Check.warn("runtime_path", path + ": " + e.getMessage(), "");
        }
        return Check.ok("runtime_path", path + " (root's, 0755)");
    }

    private Check importer(String importer) {
        Path path = Path.of(importer);
        if (!Files.isRegularFile(path)) {
            return Check.fail("importer", importer + " does not exist", "install it, or remove importer= from the"
                    + " plugstack line");
        }
        try {
            Set<PosixFilePermission> modes = Files.getPosixFilePermissions(path);
            if (!modes.contains(PosixFilePermission.OTHERS_EXECUTE) || !modes.contains(PosixFilePermission.OTHERS_READ)) {
                return Check.fail("importer", importer + " cannot be run by every user (it runs as the job's user)",
                        "chmod a+rx " + importer);
            }
        } catch (IOException e) {
            return Check.fail("importer", importer + ": " + e.getMessage(), "");
        }
        return Check.ok("importer", importer);
    }

    private static Check userNamespaceLimits() {
        Optional<String> max = readProc("/proc/sys/user/max_user_namespaces");
        Optional<String> clone = readProc("/proc/sys/kernel/unprivileged_userns_clone");
        if (max.isPresent() && max.get().equals("0")) {
            return Check.fail("user-namespaces", "user.max_user_namespaces is 0: no user namespace can be created",
                    "sysctl -w user.max_user_namespaces=15000 (and in /etc/sysctl.d/ to keep it)");
        }
        if (clone.isPresent() && clone.get().equals("0")) {
            return Check.fail("user-namespaces", "kernel.unprivileged_userns_clone is 0: users cannot create user"
                    + " namespaces", "sysctl -w kernel.unprivileged_userns_clone=1 (and in /etc/sysctl.d/)");
        }
        return Check.ok("user-namespaces", "user.max_user_namespaces=" + max.orElse("?"));
    }

    private static Check subordinateIds(PluginConfig config) {
        return Check.ok("subordinate-ids", "not needed: " + config.runtime().keyword() + " maps only the user's own"
                + " ids in its user namespace, so /etc/subuid and /etc/subgid may stay empty");
    }

    // ---- as an unprivileged user

    /** Root runs the per-user checks again as the unprivileged user, through this distribution's launcher. */
    private List<Check> asUnprivilegedUser() {
        Optional<String[]> entry = settings.user().isPresent() ? passwd(settings.user().get()) : defaultUser();
        if (entry.isEmpty()) {
            return List.of(Check.fail("as-user", settings.user().map(name -> "no user " + name)
                    .orElse("no ordinary user with a login shell to run the per-user checks as"),
                    "give an existing unprivileged user with --user"));
        }
        String name = entry.get()[0];
        String[] fields = entry.get();
        Path launcher = settings.libDirectory().resolveSibling("bin").resolve("jpyxis");
        Path home = Path.of(fields[5]);
        Path temporaryHome = null;
        try {
            if (!Files.isDirectory(home)) {
                // nobody's home does not exist; runtimes keep their files under $HOME by default
                temporaryHome = Files.createTempDirectory("jpyxis-doctor-home-");
                runner.run(List.of("/bin/chown", fields[2] + ":" + fields[3], temporaryHome.toString()),
                        Environment.of("PATH", "/usr/bin:/bin"), Path.of("/"));
                home = temporaryHome;
            }
            List<String> command = new ArrayList<>(List.of(onPath("setpriv").map(Path::toString)
                    .orElse("/usr/bin/setpriv"), "--reuid=" + fields[2], "--regid=" + fields[3], "--init-groups",
                    "--", launcher.toString(), "doctor", "--as-job-user"));
            settings.plugstack().ifPresent(file -> command.addAll(List.of("--plugstack", file.toString())));
            settings.image().ifPresent(image -> command.addAll(List.of("--image", image.toString())));
            settings.registry().ifPresent(uri -> command.addAll(List.of("--registry", uri)));
            List<String> env = new ArrayList<>(List.of("PATH", "/usr/local/bin:/usr/bin:/bin", "HOME", home.toString(),
                    "USER", name, "LOGNAME", name, "LC_ALL", "C.UTF-8"));
            settings.environment().get("SLURM_CONF").ifPresent(conf -> env.addAll(List.of("SLURM_CONF", conf)));
            settings.environment().get("JAVA_HOME").ifPresent(jdk -> env.addAll(List.of("JAVA_HOME", jdk)));
            CommandRunner.Result result = runner.run(command, Environment.of(env.toArray(String[]::new)),
                    Path.of("/"));
            List<Check> checks = new ArrayList<>();
            result.output().forEach(line -> Check.fromLine(line).ifPresent(checks::add));
            if (checks.isEmpty() || !result.succeeded()) {
                checks.add(Check.fail("as-user", "doctor could not run as " + name + " (exit " + result.exitStatus()
                        + "): " + String.join(" / ", result.output()), "install jpyxis where every user can read"
                        + " and run it (" + launcher + ")"));
            }
            checks.replaceAll(check -> new Check(check.name(), check.status(), check.detail() + " [as " + name + "]",
                    check.fix()));
            return checks;
        } catch (IOException e) {
            return List.of(Check.fail("as-user", "cannot prepare a home for " + name + ": " + e.getMessage(), ""));
        } finally {
            if (temporaryHome != null) {
                runner.run(List.of("/bin/rm", "-rf", temporaryHome.toString()), Environment.of("PATH",
                        "/usr/bin:/bin"), Path.of("/"));
            }
        }
    }

    private Optional<String[]> passwd(String name) {
        return passwdEntries(List.of(name)).stream().findFirst();
    }

    /**
     * Who runs the per-user checks when root gives nobody: the user who ran sudo, else the first ordinary user (uid
     * 1000 to 60000, as Debian's login.defs has it) with a login shell, as a job's user would be. Not nobody: enroot
     * runs the container's first command through the user's login shell, and nobody has none.
     */
    private Optional<String[]> defaultUser() {
        Optional<String> sudo = settings.environment().get("SUDO_USER").filter(name -> !name.equals("root"));
        if (sudo.isPresent()) {
            return passwd(sudo.get());
        }
        return passwdEntries(List.of()).stream().filter(fields -> {
            long uid = Long.parseLong(fields[2]);
            return uid >= 1000 && uid <= 60000 && !fields[6].endsWith("nologin") && !fields[6].endsWith("false");
        }).findFirst();
    }

    /** {@code getent passwd NAMES...} (every entry without names), split into fields. */
    private List<String[]> passwdEntries(List<String> names) {
        List<String> command = new ArrayList<>(List.of("/usr/bin/getent", "passwd"));
        command.addAll(names);
        CommandRunner.Result result = runner.run(command, Environment.of("PATH", "/usr/bin:/bin"), Path.of("/"));
        List<String[]> entries = new ArrayList<>();
        for (String line : result.succeeded() ? result.output() : List.<String>of()) {
            String[] fields = line.split(":", -1);
            if (fields.length >= 7 && fields[2].matches("\\d+")) {
                entries.add(fields);
            }
        }
        return entries;
    }

    // ---- facts about this process and node

    static Optional<Path> onPath(String program) {
        for (String directory : DAEMON_PATH.split(":")) {
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean readableByAll(Path path) {
        try {
            return Files.getPosixFilePermissions(path).contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static Optional<String> readProc(String file) {
        try {
            // not Files.readString: some sysctl files read that way give their first byte only
            return Optional.of(String.join("\n", Files.readAllLines(Path.of(file))).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static long uid() {
        return readProc("/proc/self/status").flatMap(status -> status.lines()
                .filter(line -> line.startsWith("Uid:")).findFirst())
                .map(line -> Long.parseLong(line.substring(4).strip().split("\\s+")[0])).orElse(-1L);
    }

    private static String userName() {
        return System.getProperty("user.name");
    }

    static String hostname() {
        return readProc("/proc/sys/kernel/hostname").orElse("this node");
    }
}
