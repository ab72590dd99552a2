package dev.jpyxis.adapters.enroot;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.ContainerRuntimeContract;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.exec.CommandRunner;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The runtime contract against the real enroot on this machine. Enroot is not a Debian package: where it is not
 * installed (by hand, see docs/e2e.md) these tests are skipped, and say so.
 */
class EnrootRuntimeContractTest extends ContainerRuntimeContract {

    private static final String DAEMON_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin";
    private static Path work;
    private static String image;

    @BeforeAll
    static void requireEnroot() throws Exception {
        String enroot = EnrootRuntime.locate(DAEMON_PATH);
        if (!Files.isExecutable(Path.of(enroot))) {
            System.err.println("!!! enroot is not installed: the enroot runtime contract tests are SKIPPED !!!");
        }
        Assumptions.assumeTrue(Files.isExecutable(Path.of(enroot)), "enroot is not installed on this machine");
        work = Files.createTempDirectory("jpyxis-enroot-contract");
        image = work.resolve("test.sqsh").toString();
        Path builder = Path.of("..", "e2e", "images", "build-test-image.sh").toAbsolutePath();
        CommandRunner.Result built = new CommandRunner().run(List.of(builder.toString(), image),
                Environment.of("PATH", DAEMON_PATH), work);
        Assumptions.assumeTrue(built.succeeded(), "cannot build the test image: " + built.output());
        Files.createDirectories(work.resolve("host"));
        Files.writeString(work.resolve("host/marker"), "host-marker\n");
    }

    @AfterAll
    static void cleanUp() throws IOException {
        if (work != null) {
            new CommandRunner().run(List.of("/bin/rm", "-rf", work.toString()), Environment.empty(), Path.of("/"));
        }
    }

    @Override
    protected ContainerRuntime runtime() {
        return new EnrootRuntime(EnrootRuntime.locate(DAEMON_PATH), new CommandRunner(), work);
    }

    @Override
    protected RuntimeInvocation invocation() {
        return new RuntimeInvocation(Environment.of("PATH", DAEMON_PATH, "HOME", System.getProperty("user.home")),
                work.toString());
    }

    @Override
    protected String testImage() {
        return image;
    }

    @Override
    protected long launchUntilStopped(ContainerLaunch launch) {
        try {
            ProcessBuilder builder = new ProcessBuilder(launch.argv()).directory(work.toFile())
                    .redirectErrorStream(true).redirectOutput(work.resolve("start.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(launch.environment().asMap());
            Process process = builder.start();
            Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
            for (int waited = 0; waited < 30_000; waited += 10) {
                if (!process.isAlive()) {
                    throw new AssertionError("the container's first process exited: "
                            + Files.readString(work.resolve("start.log")));
                }
                if (Files.readString(stat).contains(") T ")) {
                    return process.pid();
                }
                Thread.sleep(10);
            }
            throw new AssertionError("the container's first process never stopped");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    protected String readInContainer(long pid, String path) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "root", path.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Environment environmentOf(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ")),
                    StandardCharsets.UTF_8);
            return Environment.fromEntries(new ArrayList<>(List.of(raw.split("\0"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected String uidMapOf(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), "uid_map")).get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void release(long pid) {
        ProcessHandle.of(pid).ifPresent(handle -> {
            new CommandRunner().run(List.of("/bin/kill", "-s", "CONT", Long.toString(pid)), Environment.empty(),
                    Path.of("/"));
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        });
    }

    @Override
    protected String hostDirectoryWithMarker() {
        return work.resolve("host").toString();
    }

    @Override
    protected String outputPath(String fileName) {
        return work.resolve(fileName).toString();
    }

    @Override
    protected boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    @Override
    protected long uid() {
        return new com.sun.security.auth.module.UnixSystem().getUid();
    }
}
