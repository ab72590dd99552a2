package dev.jpyxis.adapters.charliecloud;

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
 * The runtime contract against Debian's Charliecloud on this machine (installed by e2e/cluster/install-packages.sh);
 * skipped, loudly, where it is absent.
 */
class CharliecloudRuntimeContractTest extends LocalRuntimeContract {

    private static final String DAEMON_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin";
    private static Path work;

    @BeforeAll
    static void requireCharliecloud() throws Exception {
        boolean installed = Files.isExecutable(Path.of(CharliecloudTools.find(DAEMON_PATH, "ch-run")));
        if (!installed) {
            System.err.println("!!! ch-run is not installed: the Charliecloud runtime contract tests are SKIPPED !!!");
        }
        Assumptions.assumeTrue(installed, "Charliecloud is not installed on this machine");
        work = Files.createTempDirectory("jpyxis-charliecloud-contract");
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
        return new CharliecloudRuntime(CharliecloudTools.locate(DAEMON_PATH), new CommandRunner(),
                work.resolve("storage"), work.resolve("containers"), new RunningContainers());
    }

    @Override
    protected RuntimeInvocation invocation() {
        return new RuntimeInvocation(Environment.of("PATH", DAEMON_PATH, "HOME", System.getProperty("user.home"),
                "USER", System.getProperty("user.name")), work.toString());
    }

    @Override
    protected Path workDirectory() {
        return work;
    }

    /** use_squashfuse needs squashfuse and a /dev/fuse this process can open. */
    @Override
    protected boolean canStartSquashfsFiles() {
        boolean usable = super.canStartSquashfsFiles()
                && Files.isExecutable(Path.of(CharliecloudTools.locate(DAEMON_PATH).squashfuse()))
                && Files.isReadable(Path.of("/dev/fuse")) && Files.isWritable(Path.of("/dev/fuse"));
        if (!usable) {
            System.err.println("!!! squashfuse or /dev/fuse is missing: Charliecloud's direct squashfs start is "
                    + "SKIPPED !!!");
        }
        return usable;
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
