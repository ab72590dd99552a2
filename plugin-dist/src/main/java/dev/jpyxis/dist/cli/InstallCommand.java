package dev.jpyxis.dist.cli;

import dev.jpyxis.adapters.slurm.shim.ShimValues;
import dev.jpyxis.dist.engine.JvmLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code jpyxis install}: prepares an installed distribution for the JDKs that may run the engine. For each, it trains
 * and writes the JVM's class cache (an AOT cache on JDK 25+, a dynamic CDS archive before that) and the arguments the
 * shim passes to that JVM, both under {@code lib/jvm/} at the JDK's real path, so preparing one JDK never touches
 * another's. Without {@code --java} it picks the installed JDK that starts the engine fastest (the newest, 17 or
 * later) and points {@code lib/jvm.default} at it: the shim uses that one when the plugstack line names no
 * {@code java=}. A JDK that was never prepared still works, with {@code lib/engine.args} and no cache.
 */
final class InstallCommand {

    static final String USAGE = """
            Usage: jpyxis install [--java PATH]

            Prepares this distribution for a JDK that runs the engine: trains the JVM's startup cache and writes its
            arguments under lib/jvm/. Without --java, picks the newest JDK (17 or later) that runs among the first java
            in /usr/local/bin:/usr/bin:/bin and /usr/lib/jvm/*/bin/java (one that does not run, or whose training
            fails, is skipped with a message), and makes it the engine's JVM for plugstack lines without java=. With --java, prepares that JDK only (give the same path as plugstack's java=).
            Run it again after moving the distribution or installing another JDK; each JDK keeps its own files.
            """;

    /**
     * The engine does little computing and lives for one step: interpreting only saves the compiler threads and the
     * code cache (about 3 MiB of RSS) and costs no measurable time (docs/performance.md). The heap starts small and
     * may grow for a job with a huge environment rather than fail it. No attach: the engine runs as the user, who
     * must not reach into it with the JDK's tools either.
     */
    static final List<String> COMMON_FLAGS = List.of("-Xint", "-XX:-UsePerfData", "-XX:+DisableAttachMechanism",
            "-Xss256k", "-XX:MaxMetaspaceSize=64m", "-XX:+UseSerialGC", "-Xms4m", "-Xmx256m");

    /** The JDKs a machine may have beside its default {@code java}. */
    static final Path JDK_DIRECTORY = Path.of("/usr/lib/jvm");

    int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        ToolArguments read = ToolArguments.read(args, Set.of("--java"), Set.of(),
                ToolArguments.Rest.NONE);
        if (read.help()) {
            out.print(USAGE);
            return ExitCode.OK;
        }
        String java = read.value("--java").orElse(null);
        Path lib = libDirectory();
        Jdk jdk = null;
        if (java != null) {
            jdk = Jdk.of(Path.of(java));
            if (!prepare(jdk, lib, out, err)) {
                return 1;
            }
        } else {
            for (Jdk candidate : workingJdks(machineJavas(), err)) {
                if (prepare(candidate, lib, out, err)) {
                    jdk = candidate;
                    break;
                }
                err.println("jpyxis install: trying the next JDK");
            }
            if (jdk == null) {
                err.println("jpyxis install: no JDK 17 or later that works was found; give --java PATH");
                return 1;
            }
            Path link = JvmLayout.defaultJvmLink(lib);
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, jdk.realPath());
            out.println("jpyxis install: the engine runs with " + jdk.realPath() + " where plugstack names no java=");
        }
        out.println("jpyxis install: plugstack.conf line: required " + lib.resolve("spank_pyxis.so")
                + (java != null ? " java=" + java : ""));
        return ExitCode.OK;
    }

    /** A JDK's {@code java}, by its real path (the shim resolves links the same way), and its feature version. */
    record Jdk(Path realPath, int feature) {
        static Jdk of(Path java) throws IOException, InterruptedException {
            if (!Files.isExecutable(java)) {
                throw new CommandLineException("install: " + java + " is not an executable java");
            }
            return new Jdk(java.toRealPath(), featureVersion(java));
        }
    }

    /** Trains and writes one JDK's cache and arguments; false (with the reason on {@code err}) when it cannot. */
    static boolean prepare(Jdk jdk, Path lib, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        Path arguments = argumentsFile(lib, jdk.realPath());
        Files.createDirectories(arguments.getParent());
        String base = arguments.getFileName().toString();
        base = base.substring(0, base.length() - ShimValues.JVM_ARGUMENTS_SUFFIX.length());
        Path cache = arguments.resolveSibling(base + (jdk.feature() >= 25 ? ".aot" : ".jsa"));
        List<String> flags = new ArrayList<>(COMMON_FLAGS);
        Files.deleteIfExists(cache);
        List<String> trainingFlags = new ArrayList<>(flags);
        trainingFlags.add(jdk.feature() >= 25 ? "-XX:AOTCacheOutput=" + cache : "-XX:ArchiveClassesAtExit=" + cache);
        Run trained = runEngine(jdk.realPath(), trainingFlags, lib);
        if (!trained.ok() || !Files.exists(cache)) {
            err.println("jpyxis install: training the JVM cache of " + jdk.realPath() + " failed:");
            err.print(trained.output());
            return false;
        }
        flags.add(jdk.feature() >= 25 ? "-XX:AOTCache=" + cache : "-XX:SharedArchiveFile=" + cache);
        if (jdk.feature() < 25) {
            flags.add("-Xshare:auto");
        }
        Run check = runEngine(jdk.realPath(), flags, lib);
        if (!check.ok()) {
            err.println("jpyxis install: the engine does not start with " + flags + ":");
            err.print(check.output());
            return false;
        }
        Files.writeString(arguments, String.join("\n", flags) + "\n", StandardCharsets.UTF_8);
        out.println("jpyxis install: " + jdk.realPath() + " (Java " + jdk.feature() + "), cache " + cache);
        return true;
    }

    /** {@code lib/jvm/<real path of java>.args}: where the shim looks for a JVM's arguments. */
    static Path argumentsFile(Path lib, Path realJava) {
        return JvmLayout.argumentsFile(lib, realJava);
    }

    /** The machine's {@code java} commands: the default one first, then each JDK's under {@link #JDK_DIRECTORY}. */
    static List<Path> machineJavas() throws IOException {
        List<Path> candidates = new ArrayList<>();
        defaultJava().ifPresent(candidates::add);
        if (Files.isDirectory(JDK_DIRECTORY)) {
            try (Stream<Path> jdks = Files.list(JDK_DIRECTORY)) {
                jdks.sorted().map(jdkHome -> jdkHome.resolve("bin/java")).filter(Files::isExecutable)
                        .forEach(candidates::add);
            }
        }
        return candidates;
    }

    /**
     * The JDKs of 17 or later among these that run, newest first (an earlier candidate wins a tie), each once. A JDK
     * that does not run (a damaged installation, a missing library) is skipped with a line on {@code err}: it must not
     * keep the engine from a JDK that works.
     */
    static List<Jdk> workingJdks(List<Path> candidates, PrintStream err) throws IOException, InterruptedException {
        List<Jdk> working = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path candidate : candidates) {
            if (!seen.add(candidate.toRealPath())) {
                continue;
            }
            try {
                Jdk jdk = Jdk.of(candidate);
                if (jdk.feature() >= 17) {
                    working.add(jdk);
                }
            } catch (CommandLineException broken) {
                err.println("jpyxis install: skipping " + candidate + ": " + broken.getMessage());
            }
        }
        working.sort(Comparator.comparingInt(Jdk::feature).reversed());
        return working;
    }

    private record Run(boolean ok, String output) {
    }

    /** Runs the engine's training workload with these JVM flags, as the shim would start it. */
    private static Run runEngine(Path java, List<String> flags, Path lib) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(flags);
        command.addAll(List.of("-cp", lib + "/*", ShimValues.ENGINE_MAIN, "train"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = process.waitFor(120, TimeUnit.SECONDS);
        return new Run(done && process.exitValue() == 0, output);
    }

    /** The distribution's lib directory: where this class's jar lies. */
    static Path libDirectory() {
        try {
            return Path.of(InstallCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toAbsolutePath().getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code java} where the shim looks without {@code java=}. */
    static Optional<Path> defaultJava() {
        for (String dir : List.of("/usr/local/bin", "/usr/bin", "/bin")) {
            Path candidate = Path.of(dir, "java");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static int featureVersion(Path java) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(java.toString(), "-XshowSettings:properties", "-version")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        for (String line : output.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.startsWith("java.specification.version = ")) {
                return Integer.parseInt(trimmed.substring("java.specification.version = ".length()).trim());
            }
        }
        throw new CommandLineException("install: cannot tell the version of " + java + " (it exits with "
                + process.exitValue() + ")");
    }
}
