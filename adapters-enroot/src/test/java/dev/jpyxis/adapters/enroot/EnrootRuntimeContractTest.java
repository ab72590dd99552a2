package dev.jpyxis.adapters.enroot;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.LocalRuntimeContract;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.exec.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The runtime contract against the real enroot on this machine. Enroot is not a Debian package: where it is not
 * installed (by hand, see docs/e2e.md) these tests are skipped, and say so.
 */
class EnrootRuntimeContractTest extends LocalRuntimeContract {

    private static final String DAEMON_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin";
    private static Path work;

    @BeforeAll
    static void requireEnroot() throws Exception {
        boolean installed = Files.isExecutable(Path.of(EnrootRuntime.locate(DAEMON_PATH)));
        if (!installed) {
            System.err.println("!!! enroot is not installed: the enroot runtime contract tests are SKIPPED !!!");
        }
        Assumptions.assumeTrue(installed, "enroot is not installed on this machine");
        work = Files.createTempDirectory("jpyxis-enroot-contract");
        Assumptions.assumeTrue(buildTestImage(work.resolve("test.sqsh")), "cannot build the test image");
        Files.createDirectories(work.resolve("host"));
        Files.writeString(work.resolve("host/marker"), "host-marker\n");
    }

    @AfterAll
    static void cleanUp() {
        if (work != null) {
            new CommandRunner().run(List.of("/bin/rm", "-rf", work.toString()), Environment.empty(), Path.of("/"));
        }
    }

    @Override
    protected ContainerRuntime runtime() {
        return new EnrootRuntime(EnrootRuntime.locate(DAEMON_PATH), new CommandRunner(), work);
    }

    /** enroot starts a squashfs file through squashfuse, which needs /dev/fuse open to this user. */
    @Override
    protected boolean canStartSquashfsFiles() {
        boolean usable = super.canStartSquashfsFiles() && Files.isReadable(Path.of("/dev/fuse"))
                && Files.isWritable(Path.of("/dev/fuse"));
        if (!usable) {
            System.err.println("!!! /dev/fuse is not usable by this user: enroot's direct squashfs start is SKIPPED !!!");
        }
        return usable;
    }

    @Override
    protected RuntimeInvocation invocation() {
        return new RuntimeInvocation(Environment.of("PATH", DAEMON_PATH, "HOME", System.getProperty("user.home")),
                work.toString());
    }

    @Override
    protected Path workDirectory() {
        return work;
    }

    @Override
    protected String testImage() {
        return work.resolve("test.sqsh").toString();
    }

    @Override
    protected String hostDirectoryWithMarker() {
        return work.resolve("host").toString();
    }

    @Override
    protected String outputPath(String fileName) {
        return work.resolve(fileName).toString();
    }
}
