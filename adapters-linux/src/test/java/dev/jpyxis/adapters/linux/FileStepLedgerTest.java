package dev.jpyxis.adapters.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.port.out.OwnershipRecord;
import dev.jpyxis.domain.port.out.ProcessIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStepLedgerTest {

    @TempDir
    Path runtimeDir;

    private FileStepLedger ledgerIn(Path directory) {
        return new FileStepLedger(directory, new EpilogTraces(runtimeDir, "epilog.", "ended."));
    }

    @Test
    void recordsSurviveTheEngineAndAreErasedOneByOne() throws Exception {
        FileStepLedger ledger = ledgerIn(runtimeDir.resolve("ledger"));
        assertEquals(List.of(), ledger.records());
        OwnershipRecord temporary = new OwnershipRecord("pyxis_12.3", OwnershipRecord.Ownership.STEP, 12, 3, 0,
                ledger.bootId(), ledger.self(), Optional.of("/run/pyxis/5000/12.3.squashfs"));
        OwnershipRecord named = new OwnershipRecord("pyxis_12_dev", OwnershipRecord.Ownership.JOB, 12, 4, 1,
                ledger.bootId(), new ProcessIdentity(7, 8), Optional.empty());
        ledger.write(temporary);
        ledger.write(named);
        FileStepLedger later = ledgerIn(runtimeDir.resolve("ledger"));
        assertEquals(List.of(temporary, named), later.records());
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(runtimeDir.resolve("ledger"))));
        later.erase(temporary);
        assertEquals(List.of(named), ledger.records());
    }

    @Test
    void unreadableRecordsAreSkipped() throws Exception {
        Path directory = Files.createDirectories(runtimeDir.resolve("ledger"));
        Files.writeString(directory.resolve("junk.record"), "not=a record");
        assertEquals(List.of(), ledgerIn(directory).records());
    }

    @Test
    void livenessIsPidAndStartTime() {
        FileStepLedger ledger = ledgerIn(runtimeDir);
        ProcessIdentity self = ledger.self();
        assertTrue(ledger.isAlive(self));
        assertFalse(ledger.isAlive(new ProcessIdentity(self.pid(), self.startTime() + 1)), "a recycled pid");
        assertFalse(ledger.isAlive(new ProcessIdentity(Integer.MAX_VALUE - 1, 1)));
        assertFalse(ledger.bootId().isBlank());
    }

    @Test
    void anyContainerNameReadsBackAsWritten() {
        FileStepLedger ledger = ledgerIn(runtimeDir.resolve("ledger"));
        OwnershipRecord awkward = new OwnershipRecord(" pyxis_a\\b=c:d\n#e\tf\r\fg é ", OwnershipRecord.Ownership.JOB,
                1, 2, 0, ledger.bootId(), ledger.self(), Optional.of("/run/pyxis/5000/ x.squashfs"));
        ledger.write(awkward);
        assertEquals(List.of(awkward), ledgerIn(runtimeDir.resolve("ledger")).records());
    }

    @Test
    void theEpilogTraceIsLeftOnceAndGoesWhenTheEpilogRan() throws Exception {
        FileStepLedger ledger = ledgerIn(runtimeDir.resolve("ledger"));
        assertTrue(ledger.expectEpilog(42));
        assertTrue(ledger.expectEpilog(42));
        assertTrue(java.nio.file.Files.exists(runtimeDir.resolve("epilog.42")));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                java.nio.file.Files.getPosixFilePermissions(runtimeDir.resolve("epilog.42"))));
        ledger.epilogDone(42);
        assertFalse(java.nio.file.Files.exists(runtimeDir.resolve("epilog.42")));
        ledger.epilogDone(42);
    }

    @Test
    void aTraceThatCannotBeLeftIsReported() {
        FileStepLedger ledger = new FileStepLedger(runtimeDir.resolve("ledger"),
                new EpilogTraces(runtimeDir.resolve("missing"), "epilog.", "ended."));
        assertFalse(ledger.expectEpilog(42));
        assertEquals(List.of(), ledger.jobsLeftToSweep());
    }

    @Test
    void theJobsWhoseEpilogNeverAnsweredAreThoseWithAnEndedTraceUntilSwept() throws Exception {
        FileStepLedger ledger = ledgerIn(runtimeDir.resolve("ledger"));
        Files.createFile(runtimeDir.resolve("ended.7"));
        Files.createFile(runtimeDir.resolve("ended.42"));
        Files.createFile(runtimeDir.resolve("epilog.9"));
        Files.createFile(runtimeDir.resolve("ended.x1"));
        Files.createDirectory(runtimeDir.resolve("ended.11"));
        Files.createSymbolicLink(runtimeDir.resolve("ended.12"), runtimeDir.resolve("ended.7"));

        assertEquals(List.of(7L, 42L), ledger.jobsLeftToSweep());

        ledger.jobSwept(42);
        assertFalse(Files.exists(runtimeDir.resolve("ended.42")));
        assertEquals(List.of(7L), ledger.jobsLeftToSweep());
        ledger.jobSwept(42);
    }
}
