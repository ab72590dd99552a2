package dev.jpyxis.exec;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.CommandLog;
import dev.jpyxis.domain.port.out.CommandOutcome;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs external commands the way the plugin must: an argv array (never a shell), exactly the given environment,
 * stdin from {@code /dev/null}, stdout and stderr captured together. Commands still running when the step is
 * cancelled ({@link #stopAll}) or the engine exits receive SIGTERM, with every process they started.
 */
public final class CommandRunner {

    /** Java reports death by signal N as exit status 128 + N. */
    private static final int SIGNAL_BASE = 128;

    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    /** Running commands that were sent SIGTERM by {@link #stopAll}, to be reported when they end. */
    private static final Set<Process> FORWARDED = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(CommandRunner::stopAll, "forward-sigterm"));
    }

    /**
     * Sends SIGTERM to every running command and to each process it started (an import's downloads and packing), so
     * a cancelled step ends now and the command's partial files are its own to clean or the step's to delete.
     */
    public static void stopAll() {
        for (Process process : RUNNING) {
            FORWARDED.add(process);
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    /**
     * Bytes written to storage so far by this process and every command it runs, with whatever they started: the
     * kernel's {@code write_bytes} in {@code /proc/self/io}, which takes in the children already waited for, plus that
     * of each live descendant. Writes count when they dirty the page cache of a disk; writes to tmpfs do not count.
     * A process whose count cannot be read (gone meanwhile) counts nothing.
     */
    public static long bytesWritten() {
        long total = writeBytes(ProcessHandle.current().pid());
        for (ProcessHandle descendant : ProcessHandle.current().descendants().toList()) {
            total += writeBytes(descendant.pid());
        }
        return total;
    }

    private static long writeBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).strip());
                }
            }
        } catch (IOException | NumberFormatException | SecurityException unreadable) {
            // gone, or not ours to read
        }
        return 0;
    }

    /** What a command printed and how it ended. */
    public record Result(long pid, int exitStatus, List<String> output) {
        public boolean succeeded() {
            return exitStatus == 0;
        }

        /** The domain's view of a failed run. */
        public CommandFailedException failure() {
            CommandOutcome outcome = exitStatus > SIGNAL_BASE
                    ? new CommandOutcome.Signaled(pid, exitStatus - SIGNAL_BASE)
                    : new CommandOutcome.Exited(pid, exitStatus);
            return new CommandFailedException(outcome, output);
        }
    }

    /**
     * Runs the command with the invocation's environment and directory and returns its result, whatever its exit
     * status; a {@code SIGTERM} forwarded to it is reported in the invocation's log, as pyxis reports it.
     */
    public Result run(List<String> argv, RuntimeInvocation invocation) {
        return run(argv, invocation.environment(), Path.of(invocation.workingDirectory()), invocation.log());
    }

    /** {@link #run(List, RuntimeInvocation)}; a non-zero exit is a {@link CommandFailedException}. */
    public Result runOrFail(List<String> argv, RuntimeInvocation invocation) {
        Result result = run(argv, invocation);
        if (!result.succeeded()) {
            throw result.failure();
        }
        return result;
    }

    /** Runs the command and returns its result, whatever its exit status. */
    public Result run(List<String> argv, Environment environment, Path workingDirectory) {
        return run(argv, environment, workingDirectory, CommandLog.NONE);
    }

    private Result run(List<String> argv, Environment environment, Path workingDirectory, CommandLog log) {
        ProcessBuilder builder = new ProcessBuilder(argv).directory(workingDirectory.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().clear();
        builder.environment().putAll(environment.asMap());
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new CommandFailedException(new CommandOutcome.NotStarted(reason(e)), List.of());
        }
        RUNNING.add(process);
        try (InputStream out = process.getInputStream()) {
            byte[] bytes = out.readAllBytes();
            int status = waitFor(process);
            return new Result(process.pid(), status, lines(bytes));
        } catch (IOException e) {
            process.destroy();
            throw new CommandFailedException(new CommandOutcome.NotStarted(reason(e)), List.of());
        } finally {
            RUNNING.remove(process);
            if (FORWARDED.remove(process)) {
                log.add(Diagnostic.error("pyxis: received SIGTERM, forwarding to child " + process.pid()));
            }
        }
    }

    /** Runs the command; a non-zero exit is a {@link CommandFailedException}. */
    public Result runOrFail(List<String> argv, Environment environment, Path workingDirectory) {
        Result result = run(argv, environment, workingDirectory);
        if (!result.succeeded()) {
            throw result.failure();
        }
        return result;
    }

    private static int waitFor(Process process) {
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                    process.destroy();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static List<String> lines(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return List.of();
        }
        return new ArrayList<>(Arrays.asList(text.split("\r?\n")));
    }

    private static String reason(IOException e) {
        String message = e.getMessage();
        int paren = message == null ? -1 : message.indexOf("error=");
        return paren >= 0 ? message.substring(paren) : String.valueOf(message);
    }
}
