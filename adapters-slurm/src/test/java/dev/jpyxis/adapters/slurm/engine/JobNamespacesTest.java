package dev.jpyxis.adapters.slurm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobNamespacesTest {

    @TempDir
    Path directory;

    private Optional<String> holderOf(long job, String mountInfo) throws IOException {
        return new JobNamespaces(Files.writeString(directory.resolve("mountinfo"), mountInfo)).holderOf(job);
    }

    @Test
    void theNsfsMountAtTheJobsDirectoryIsItsNamespace() throws IOException {
        String table = """
                22 1 0:21 / /proc rw,nosuid shared:5 - proc proc rw
                301 25 0:4 mnt:[4026532999] /var/spool/slurmd/jc/9001/.ns rw master:1 - nsfs nsfs rw
                302 25 0:4 mnt:[4026532777] /var/spool/slurmd/jc/900/.ns rw - nsfs nsfs rw
                """;
        assertEquals(Optional.of("/var/spool/slurmd/jc/900/.ns"), holderOf(900, table));
        assertEquals(Optional.of("/var/spool/slurmd/jc/9001/.ns"), holderOf(9001, table));
        assertEquals(Optional.empty(), holderOf(90, table));
    }

    @Test
    void onlyANamespaceFileCounts() throws IOException {
        assertEquals(Optional.empty(), holderOf(900, "40 25 0:50 / /home/u/900/.ns rw - tmpfs tmpfs rw\n"));
    }

    @Test
    void escapedMountPointsAreReadAsTheKernelMeantThem() throws IOException {
        assertEquals(Optional.of("/var/spool/job containers/7/.ns"),
                holderOf(7, "301 25 0:4 mnt:[1] /var/spool/job\\040containers/7/.ns rw - nsfs nsfs rw\n"));
        assertEquals("a\\b\\9x", dev.jpyxis.domain.port.out.FstabEntry.unescape("a\\134b\\9x"));
    }

    @Test
    void withoutAMountTableThereIsNoNamespace() {
        assertEquals(Optional.empty(), new JobNamespaces(directory.resolve("absent")).holderOf(1));
    }
}
