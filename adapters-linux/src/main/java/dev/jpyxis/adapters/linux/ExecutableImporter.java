package dev.jpyxis.adapters.linux;

import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.CommandOutcome;
import dev.jpyxis.domain.port.out.ImageImporter;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.exec.CommandRunner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The admin's importer, run directly (no shell, no PATH search) as the job user: {@code get URI} must print the path
 * of a squashfs file as its first stdout line (the rest of stdout is not read; diagnostics belong on stderr),
 * {@code release} frees the step's files.
 */
public final class ExecutableImporter implements ImageImporter {

    private final String executable;
    private final CommandRunner runner;

    public ExecutableImporter(String executable, CommandRunner runner) {
        this.executable = executable;
        this.runner = runner;
    }

    @Override
    public String path() {
        return executable;
    }

    @Override
    public String get(RuntimeInvocation invocation, String uri) {
        announce(invocation, List.of(executable, "get", uri));
        Path stderr = null;
        try {
            stderr = Files.createTempFile("jpyxis-importer-", ".log");
            ProcessBuilder builder = new ProcessBuilder(executable, "get", uri)
                    .directory(Path.of(invocation.workingDirectory()).toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(stderr.toFile());
            builder.environment().clear();
            builder.environment().putAll(invocation.environment().asMap());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new CommandFailedException(new CommandOutcome.NotStarted(String.valueOf(e.getMessage())),
                        List.of());
            }
            String firstLine;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                firstLine = out.readLine();
            }
            int status = process.waitFor();
            List<String> log = Files.readAllLines(stderr, StandardCharsets.UTF_8);
            if (status != 0) {
                throw new CommandRunner.Result(process.pid(), status, log).failure();
            }
            if (firstLine == null || firstLine.isEmpty()) {
                throw new ImporterGaveNoPathException(log);
            }
            return firstLine;
        } catch (IOException e) {
            throw new CommandFailedException(new CommandOutcome.NotStarted(String.valueOf(e.getMessage())), List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException(new CommandOutcome.NotStarted("interrupted"), List.of());
        } finally {
            if (stderr != null) {
                stderr.toFile().delete();
            }
        }
    }

    @Override
    public void release(RuntimeInvocation invocation) {
        List<String> argv = List.of(executable, "release");
        announce(invocation, argv);
        runner.runOrFail(argv, invocation);
    }

    /** pyxis's line for an importer command: the argv unquoted, unlike its enroot lines (upstream importer.c:58). */
    private static void announce(RuntimeInvocation invocation, List<String> argv) {
        invocation.log().add(Diagnostic.verbose("pyxis: running importer command: " + String.join(" ", argv)));
    }
}
