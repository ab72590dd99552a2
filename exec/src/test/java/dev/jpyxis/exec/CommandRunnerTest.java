package dev.jpyxis.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.CommandOutcome;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandRunnerTest {

    private final CommandRunner runner = new CommandRunner();
    private final Path root = Path.of("/");

    @Test
    void runsAnArgvWithExactlyTheGivenEnvironment() {
        CommandRunner.Result result = runner.run(List.of("/usr/bin/env"), Environment.of("ONLY", "this"), root);
        assertEquals(List.of("ONLY=this"), result.output());
        assertTrue(result.succeeded());
    }

    @Test
    void argumentsAreNeverInterpretedByAShell() {
        CommandRunner.Result result = runner.run(List.of("/bin/echo", "$(id)", "; rm -rf /", "`x`"),
                Environment.empty(), root);
        assertEquals(List.of("$(id) ; rm -rf / `x`"), result.output());
    }

    @Test
    void stdoutAndStderrAreCapturedStdinIsEmpty() {
        CommandRunner.Result result = runner.run(List.of("/bin/sh", "-c", "echo out; echo err >&2; cat; exit 3"),
                Environment.empty(), Path.of("/tmp"));
        assertEquals(3, result.exitStatus());
        assertEquals(List.of("out", "err"), result.output());
        CommandFailedException failure = result.failure();
        assertEquals(3, assertInstanceOf(CommandOutcome.Exited.class, failure.outcome()).code());
        assertEquals(List.of("out", "err"), failure.log());
    }

    @Test
    void deathBySignalIsReportedAsSuch() {
        CommandRunner.Result result = runner.run(List.of("/bin/sh", "-c", "kill -9 $$"), Environment.empty(), root);
        assertEquals(9, assertInstanceOf(CommandOutcome.Signaled.class, result.failure().outcome()).signal());
    }

    @Test
    void aMissingProgramIsNotStarted() {
        CommandFailedException failure = assertThrows(CommandFailedException.class,
                () -> runner.run(List.of("/nonexistent/enroot"), Environment.empty(), root));
        assertInstanceOf(CommandOutcome.NotStarted.class, failure.outcome());
        assertThrows(CommandFailedException.class,
                () -> runner.runOrFail(List.of("/bin/false"), Environment.empty(), root));
    }

    @Test
    void theWorkingDirectoryIsTheOneGiven() {
        assertEquals(List.of("/tmp"), runner.run(List.of("/bin/pwd"), Environment.empty(), Path.of("/tmp")).output());
    }

    @Test
    void stoppingEndsARunningCommandAndEveryProcessItStarted() throws Exception {
        java.nio.file.Path pidFile = java.nio.file.Files.createTempFile("jpyxis-child", ".pid");
        java.util.concurrent.CompletableFuture<CommandRunner.Result> running = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> runner.run(List.of("/bin/sh", "-c", "sleep 300 & echo $! > " + pidFile + "; wait"),
                        Environment.empty(), root));
        long child = -1;
        for (int i = 0; i < 200 && child < 0; i++) {
            Thread.sleep(20);
            String text = java.nio.file.Files.readString(pidFile).trim();
            child = text.isEmpty() ? -1 : Long.parseLong(text);
        }
        assertTrue(child > 0, "the command's own child started");
        CommandRunner.stopAll();
        // the command ends now, not in 300 s (its shell may see its child die first and exit 0)
        running.get(10, java.util.concurrent.TimeUnit.SECONDS);
        long grandchild = child;
        for (int i = 0; i < 100 && ProcessHandle.of(grandchild).map(ProcessHandle::isAlive).orElse(false); i++) {
            Thread.sleep(20);
        }
        assertTrue(ProcessHandle.of(grandchild).map(p -> !p.isAlive()).orElse(true), "the sleep was stopped too");
        java.nio.file.Files.deleteIfExists(pidFile);
    }

    @Test
    void aForwardedSigtermIsReportedAsPyxisReportsIt() throws Exception {
        java.nio.file.Path started = java.nio.file.Files.createTempFile("jpyxis-started", ".flag");
        java.nio.file.Files.delete(started);
        List<dev.jpyxis.domain.message.Diagnostic> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.jpyxis.domain.port.out.RuntimeInvocation invocation = new dev.jpyxis.domain.port.out.RuntimeInvocation(
                Environment.empty(), root.toString()).reportingTo(lines);
        java.util.concurrent.CompletableFuture<CommandRunner.Result> running = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> runner.run(List.of("/bin/sh", "-c", "touch " + started + "; exec sleep 300"),
                        invocation));
        for (int i = 0; i < 200 && !java.nio.file.Files.exists(started); i++) {
            Thread.sleep(20);
        }
        CommandRunner.stopAll();
        CommandRunner.Result result = running.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(List.of(dev.jpyxis.domain.message.Diagnostic.error(
                "pyxis: received SIGTERM, forwarding to child " + result.pid())), lines);
        assertTrue(runner.run(List.of("/bin/true"), invocation).succeeded());
        assertEquals(1, lines.size(), "a command that was not stopped reports nothing");
        java.nio.file.Files.deleteIfExists(started);
    }

    @Test
    void bytesWrittenCountWhatARunningCommandWritesAndStayCountedAfterItEnds(@TempDir Path disk) throws Exception {
        assumeTrue(!"tmpfs".equals(java.nio.file.Files.getFileStore(disk).type()), "tmpfs writes are not counted");
        long before = CommandRunner.bytesWritten();
        Path done = disk.resolve("written");
        Thread command = new Thread(() -> runner.run(List.of("/bin/sh", "-c",
                "head -c 4000000 /dev/zero > data && touch written && sleep 2"), Environment.empty(), disk));
        command.start();
        for (int i = 0; i < 200 && !java.nio.file.Files.exists(done); i++) {
            Thread.sleep(10);
        }
        long whileRunning = CommandRunner.bytesWritten() - before;
        command.join();
        long after = CommandRunner.bytesWritten() - before;
        assertTrue(whileRunning >= 4_000_000, "while running: " + whileRunning);
        assertTrue(after >= 4_000_000, "after: " + after);
    }
}
