package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.env.Environment;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The runtime contract for adapters of real runtimes on this machine: starts are real processes, and a started
 * container is looked at through {@code /proc}. Subclasses supply the runtime, its invocation and the files.
 */
public abstract class LocalRuntimeContract extends ContainerRuntimeContract {

    /** A directory for logs of start commands. */
    protected abstract Path workDirectory();

    @Override
    protected long launchUntilStopped(ContainerLaunch launch) {
        Path log = workDirectory().resolve("start.log");
        try {
            ProcessBuilder builder = new ProcessBuilder(launch.argv()).directory(workDirectory().toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().clear();
            builder.environment().putAll(launch.environment().asMap());
            Process process = builder.start();
            Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
            for (int waited = 0; waited < 30_000; waited += 10) {
                if (!process.isAlive()) {
                    throw new AssertionError("the container's first process exited: " + Files.readString(log));
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
            return Environment.fromEntries(List.of(raw.split("\0")));
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
            try {
                new ProcessBuilder("/bin/kill", "-s", "CONT", Long.toString(pid)).start().waitFor();
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        });
    }

    @Override
    protected boolean exists(String path) {
        return Files.exists(Path.of(path));
    }

    @Override
    protected long uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds the project's test image with e2e/images/build-test-image.sh; false where that cannot be done. */
    protected static boolean buildTestImage(Path image) throws IOException, InterruptedException {
        Path builder = Path.of("..", "e2e", "images", "build-test-image.sh").toAbsolutePath();
        Process process = new ProcessBuilder(builder.toString(), image.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return process.waitFor() == 0 && Files.exists(image);
    }
}
