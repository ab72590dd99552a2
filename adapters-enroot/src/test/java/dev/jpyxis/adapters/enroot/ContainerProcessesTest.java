package dev.jpyxis.adapters.enroot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.ContainerListing;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.exec.CommandRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerProcessesTest {

    @TempDir
    Path proc;

    /** A process in a fake /proc: its root (with enroot's lock file or not) and the source of the mount on /. */
    private void process(long pid, boolean locked, String rootSource) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
        Files.createDirectories(dir.resolve("root"));
        if (locked) {
            Files.createFile(dir.resolve("root/.lock"));
        }
        Files.writeString(dir.resolve("mountinfo"),
                "600 500 0:40 /proc /proc rw,nosuid - proc proc rw\n"
                        + "601 500 8:1 " + rootSource + " / rw,relatime - ext4 /dev/sda1 rw\n"
                        + "602 601 8:1 /home /home rw - ext4 /dev/sda1 rw\n");
    }

    @Test
    void theLowestPidOfEachRunningContainerIsFound() throws IOException {
        process(4300, true, "/home/u/.local/share/enroot/pyxis_dev");
        process(4242, true, "/home/u/.local/share/enroot/pyxis_dev");
        process(5000, true, "/home/u/.local/share/enroot/pyxis_other");
        process(6000, false, "/home/u/.local/share/enroot/pyxis_idle");
        process(1, false, "/");
        Files.createDirectories(proc.resolve("self"));
        Files.createDirectories(proc.resolve("sys"));

        Map<String, Long> pids = new ContainerProcesses(proc).firstPids(Set.of("pyxis_dev", "pyxis_idle", "pyxis_new"));

        assertEquals(Map.of("pyxis_dev", 4242L), pids);
    }

    @Test
    void escapedMountSourcesAreRead() throws IOException {
        process(77, true, "/data/enroot/pyxis_a\\040b");
        assertEquals(Map.of("pyxis_a b", 77L), new ContainerProcesses(proc).firstPids(Set.of("pyxis_a b")));
        assertEquals("tab\there\\x", dev.jpyxis.domain.port.out.FstabEntry.unescape("tab\\011here\\x"));
    }

    @Test
    void aProcessWithoutMountinfoIsSkipped() throws IOException {
        Files.createDirectories(proc.resolve("12/root"));
        Files.createFile(proc.resolve("12/root/.lock"));
        process(13, true, "/d/pyxis_x");
        assertEquals(Map.of("pyxis_x", 13L), new ContainerProcesses(proc).firstPids(Set.of("pyxis_x")));
    }

    @Test
    void theListingJoinsEnrootsNamesWithTheRunningPids(@TempDir Path bin) throws IOException {
        process(4242, true, "/home/u/.local/share/enroot/pyxis_dev");
        Path enroot = bin.resolve("enroot");
        Files.writeString(enroot, "#!/bin/sh\n[ \"$*\" = list ] || exit 9\nprintf 'pyxis_dev\\npyxis_12.3\\n'\n");
        Files.setPosixFilePermissions(enroot, PosixFilePermissions.fromString("rwx------"));
        EnrootRuntime runtime = new EnrootRuntime(enroot.toString(), new CommandRunner(), bin, proc);

        List<ContainerListing> listed = runtime.list(new RuntimeInvocation(Environment.of("PATH", "/bin"), "/"));

        assertEquals(List.of(ContainerListing.stopped("pyxis_12.3"), ContainerListing.running("pyxis_dev", 4242)),
                listed);
    }

    @Test
    void withoutAReadableProcTheListingIsEnrootsOwn(@TempDir Path bin) throws IOException {
        Path enroot = bin.resolve("enroot");
        Files.writeString(enroot, "#!/bin/sh\ncase \"$*\" in\n list) echo pyxis_dev ;;\n"
                + " 'list -f') printf 'NAME PID\\npyxis_dev 99\\n' ;;\n *) exit 9 ;;\nesac\n");
        Files.setPosixFilePermissions(enroot, PosixFilePermissions.fromString("rwx------"));
        EnrootRuntime runtime = new EnrootRuntime(enroot.toString(), new CommandRunner(), bin, proc.resolve("none"));

        List<ContainerListing> listed = runtime.list(new RuntimeInvocation(Environment.of("PATH", "/bin"), "/"));

        assertEquals(List.of(ContainerListing.running("pyxis_dev", 99)), listed);
    }
}
