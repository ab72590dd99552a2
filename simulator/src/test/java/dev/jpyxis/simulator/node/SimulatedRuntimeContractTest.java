package dev.jpyxis.simulator.node;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.in.StartOutcome;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.ContainerProcesses.InspectionException;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.ContainerRuntimeContract;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The simulated runtime keeps the contract every real runtime adapter keeps, so the simulator cannot drift. */
class SimulatedRuntimeContractTest extends ContainerRuntimeContract {

    private static final long UID = 1000;

    private FileSystem fileSystem;
    private Path root;
    private SimulatedKernel kernel;
    private SimulatedRuntime runtime;

    @BeforeEach
    void node() throws IOException {
        fileSystem = Jimfs.newFileSystem(Configuration.unix());
        root = fileSystem.getPath("/");
        kernel = new SimulatedKernel(root);
        SimulatedImage image = new SimulatedImage(Map.of("/etc/os-release", "ID=jpyxis-test\n"),
                Map.of("PATH", "/bin"), "/", Map.of("ENTRYPOINT_RAN", "yes"), List.of("test-entrypoint: ran"));
        runtime = new SimulatedRuntime(SimulatedRuntime.ENROOT, root, kernel, Map.of("jpyxis-test", image));
        SquashfsFiles.write(root.resolve("images/test.sqsh"), image);
        Files.createDirectories(root.resolve("host"));
        Files.writeString(root.resolve("host/marker"), "host-marker\n");
        Files.createDirectories(root.resolve("out"));
        Files.createDirectories(root.resolve("home/alice"));
    }

    @AfterEach
    void close() throws IOException {
        fileSystem.close();
    }

    @Override
    protected ContainerRuntime runtime() {
        return runtime.asUser(UID);
    }

    @Override
    protected RuntimeInvocation invocation() {
        return new RuntimeInvocation(Environment.of("PATH", "/usr/bin:/bin", "HOME", "/home/alice"), "/home/alice");
    }

    @Override
    protected String testImage() {
        return "/images/test.sqsh";
    }

    @Override
    protected Optional<String> registryImage() {
        return Optional.of("docker://jpyxis-test");
    }

    @Override
    protected long launchUntilStopped(ContainerLaunch launch) {
        StartOutcome outcome = runtime.launch(launch, UID, "/home/alice");
        if (outcome instanceof StartOutcome.Stopped stopped) {
            return stopped.pid();
        }
        throw new AssertionError("the container's first process did not stop: " + outcome);
    }

    private SimulatedKernel.Process process(long pid) {
        return kernel.process(pid).orElseThrow(() -> new AssertionError("no process " + pid));
    }

    @Override
    protected String readInContainer(long pid, String path) {
        try {
            return Files.readString(kernel.locate(process(pid), path).path());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Environment environmentOf(long pid) {
        return process(pid).environment();
    }

    @Override
    protected String uidMapOf(long pid) {
        return process(pid).uidMap();
    }

    @Override
    protected void release(long pid) {
        try {
            kernel.resume(pid);
        } catch (InspectionException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    protected String hostDirectoryWithMarker() {
        return "/host";
    }

    @Override
    protected String outputPath(String fileName) {
        return "/out/" + fileName;
    }

    @Override
    protected boolean exists(String path) {
        return Files.exists(DiskFiles.inside(root, path));
    }

    @Override
    protected long uid() {
        return UID;
    }
}
