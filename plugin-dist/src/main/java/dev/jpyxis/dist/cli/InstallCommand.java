package dev.jpyxis.dist.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code jpyxis install}: prepares an installed distribution for the JDK that will run the engine. It trains and
 * writes the JVM's class cache (an AOT cache on JDK 25+, a dynamic CDS archive before that) and writes
 * {@code lib/engine.args}, the flags the native shim passes to every engine it starts.
 */
final class InstallCommand {

    static final String USAGE = """
            Usage: jpyxis install [--java PATH]

            Prepares this distribution for the JDK that runs the engine (default: the first java in
            /usr/local/bin:/usr/bin:/bin, as the shim looks for it; give the same path as plugstack's java= if set).
            Builds the JVM's startup cache in lib/ and writes lib/engine.args. Run it again after moving the
            distribution or changing the JDK.
            """;

    /**
     * The engine does little computing and lives for one step: interpreting only saves the compiler threads and the
     * code cache (about 3 MiB of RSS) and costs no measurable time (docs/performance.md).
     */
    static final List<String> COMMON_FLAGS = List.of("-Xint", "-XX:-UsePerfData", "-Xss256k",
            "-XX:MaxMetaspaceSize=64m", "-XX:+UseSerialGC", "-Xms4m");

    int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        ToolArguments read = ToolArguments.read(args, Set.of("--java"), Set.of(),
                ToolArguments.Rest.NONE);
        if (read.help()) {
            out.print(USAGE);
            return ExitCode.OK;
        }
        String java = read.value("--java").orElse(null);
        Path lib = libDirectory();
        Path javaPath = java != null ? Path.of(java) : defaultJava();
        int feature = featureVersion(javaPath);
        List<String> flags = new ArrayList<>(COMMON_FLAGS);
        Path cache;
        List<String> training = new ArrayList<>();
        flags.add("-Xmx32m");
        if (feature >= 25) {
            cache = lib.resolve("engine.aot");
            training.add("-XX:AOTCacheOutput=" + cache);
        } else {
            cache = lib.resolve("engine-" + feature + ".jsa");
            training.add("-XX:ArchiveClassesAtExit=" + cache);
        }
        Files.deleteIfExists(cache);
        List<String> trainingFlags = new ArrayList<>(flags);
        trainingFlags.addAll(training);
        Run trained = runEngine(javaPath, trainingFlags, lib);
        if (!trained.ok() || !Files.exists(cache)) {
            err.println("jpyxis install: training the JVM cache failed:");
            err.print(trained.output());
            return 1;
        }
        flags.add(feature >= 25 ? "-XX:AOTCache=" + cache : "-XX:SharedArchiveFile=" + cache);
        if (feature < 25) {
            flags.add("-Xshare:auto");
        }
        Run check = runEngine(javaPath, flags, lib);
        if (!check.ok()) {
            err.println("jpyxis install: the engine does not start with " + flags + ":");
            err.print(check.output());
            return 1;
        }
        Files.writeString(lib.resolve("engine.args"), String.join("\n", flags) + "\n", StandardCharsets.UTF_8);
        out.println("jpyxis install: " + javaPath + " (Java " + feature + "), cache " + cache);
        out.println("jpyxis install: plugstack.conf line: required " + lib.resolve("spank_pyxis.so")
                + (java != null ? " java=" + javaPath : ""));
        return ExitCode.OK;
    }

    private record Run(boolean ok, String output) {
    }

    /** Runs the engine's training workload with these JVM flags, as the shim would start it. */
    private static Run runEngine(Path java, List<String> flags, Path lib) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java.toString()));
        command.addAll(flags);
        command.addAll(List.of("-cp", lib + "/*", "dev.jpyxis.dist.engine.EngineMain", "train"));
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

    static Path defaultJava() {
        for (String dir : List.of("/usr/local/bin", "/usr/bin", "/bin")) {
            Path candidate = Path.of(dir, "java");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new CommandLineException("install: no java in /usr/local/bin:/usr/bin:/bin; give --java PATH");
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
        throw new CommandLineException("install: cannot tell the version of " + java);
    }
}
