package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.out.OwnershipRecord;
import dev.jpyxis.domain.port.out.ProcessIdentity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.OwnershipRecord.Ownership;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.internal.step.StepContext;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("beyond pyxis: leftovers of crashed steps")
class LeftoversTest {

    private final FakeNode node = new FakeNode();
    private final StepContext current = new StepContext(1000, 100, List.of(), 40, 2, 1, 1, 1, Environment.empty(), "/",
            Optional.empty());

    private OwnershipRecord record(String name, Ownership ownership, long job, int restarts, String boot,
            ProcessIdentity owner) {
        return new OwnershipRecord(name, ownership, job, 1, restarts, boot, owner, Optional.empty());
    }

    @Test
    @DisplayName("a live owner's containers are never leftovers")
    void liveOwner() {
        ProcessIdentity other = new ProcessIdentity(600, 9);
        assertFalse(Leftovers.isLeftover(record("pyxis_7.1", Ownership.STEP, 7, 0, "boot-1", other), current,
                "boot-1", true));
        assertFalse(Leftovers.isLeftover(record("pyxis_7_dev", Ownership.JOB, 7, 0, "boot-1", other), current,
                "boot-1", true));
    }

    @Test
    @DisplayName("slurmstepd killed: a dead owner's temporary container is a leftover")
    void deadStep() {
        assertTrue(Leftovers.isLeftover(record("pyxis_7.1", Ownership.STEP, 7, 0, "boot-1", new ProcessIdentity(1, 1)),
                current, "boot-1", false));
    }

    @Test
    @DisplayName("a job-scoped container of a dead step may still serve its job: kept while the job may run")
    void jobScopedKept() {
        assertFalse(Leftovers.isLeftover(record("pyxis_7_dev", Ownership.JOB, 7, 0, "boot-1",
                new ProcessIdentity(1, 1)), current, "boot-1", false));
    }

    @Test
    @DisplayName("node rebooted: every container recorded in an earlier boot is a leftover")
    void rebooted() {
        assertTrue(Leftovers.isLeftover(record("pyxis_7_dev", Ownership.JOB, 7, 0, "boot-0",
                new ProcessIdentity(1, 1)), current, "boot-1", true));
    }

    @Test
    @DisplayName("job requeued: the same job's containers from its earlier run are leftovers")
    void requeued() {
        assertTrue(Leftovers.isLeftover(record("pyxis_40_dev", Ownership.JOB, 40, 0, "boot-1",
                new ProcessIdentity(1, 1)), current, "boot-1", false));
        assertFalse(Leftovers.isLeftover(record("pyxis_40_dev", Ownership.JOB, 40, 1, "boot-1",
                new ProcessIdentity(1, 1)), current, "boot-1", false));
    }

    @Test
    @DisplayName("removal: only the dead owner's container and file go; the live one is untouched")
    void removal() {
        ProcessIdentity dead = new ProcessIdentity(300, 3);
        ProcessIdentity live = new ProcessIdentity(301, 3);
        node.alive.add(live);
        node.containers.put("pyxis_7.1", OptionalLong.empty());
        node.containers.put("pyxis_8.1", OptionalLong.empty());
        node.records.add(new OwnershipRecord("pyxis_7.1", Ownership.STEP, 7, 1, 0, "boot-1", dead,
                Optional.of("/run/pyxis/1000/7.1.squashfs")));
        node.records.add(record("pyxis_8.1", Ownership.STEP, 8, 0, "boot-1", live));
        node.records.add(record("pyxis_9.1", Ownership.STEP, 9, 0, "boot-1", dead));
        List<Diagnostic> diagnostics = new Leftovers(node, node, node).removeLeftovers(current,
                Steps.invocation(current));
        assertEquals(List.of("list", "delete /run/pyxis/1000/7.1.squashfs", "remove pyxis_7.1"), node.journal);
        assertEquals(List.of(Diagnostic.info("pyxis: removing leftover container pyxis_7.1 of step 7.1")),
                diagnostics);
        assertEquals(List.of("pyxis_8.1"), node.records.stream().map(OwnershipRecord::containerName).toList(),
                "records of removed or vanished containers are forgotten");
        assertTrue(node.containers.containsKey("pyxis_8.1"));
    }

    @Test
    @DisplayName("a job whose epilog never answered (its engines killed): the user's next step removes every"
            + " container of that job once nothing runs in it, and no other job's")
    void endedJobWithoutItsEpilog() {
        ProcessIdentity deadOwner = new ProcessIdentity(300, 3);
        node.containers.put("pyxis_7_dev", OptionalLong.empty());
        node.containers.put("pyxis_7_7.1", OptionalLong.of(4242));
        node.containers.put("pyxis_8_dev", OptionalLong.empty());
        node.containers.put("pyxis_70_dev", OptionalLong.empty());
        node.records.add(record("pyxis_7_dev", Ownership.JOB, 7, 0, "boot-1", deadOwner));
        node.records.add(record("pyxis_8_dev", Ownership.JOB, 8, 0, "boot-1", deadOwner));
        node.expectEpilog(7);
        node.expectEpilog(8);
        node.epilogNeverAnswered(7);
        node.journal.clear();

        List<Diagnostic> diagnostics = new Leftovers(node, node, node).removeLeftovers(current,
                Steps.invocation(current));

        assertEquals(List.of("list", "remove pyxis_7_dev"), node.journal);
        assertEquals(List.of(Diagnostic.info("pyxis: container pyxis_7_7.1 of ended job 7 still runs: kept"),
                Diagnostic.info("pyxis: removing container pyxis_7_dev of job 7, which ended without its epilog")),
                diagnostics);
        assertEquals(List.of(7L), node.jobsLeftToSweep(), "the job is swept again while a container of it runs");

        node.containers.put("pyxis_7_7.1", OptionalLong.empty());
        new Leftovers(node, node, node).removeLeftovers(current, Steps.invocation(current));

        assertEquals(List.of(), node.jobsLeftToSweep());
        assertEquals(List.of("pyxis_70_dev", "pyxis_8_dev"), node.containers.keySet().stream().sorted().toList(),
                "a job still running (no ended trace) keeps its containers");
        assertEquals(List.of("pyxis_8_dev"), node.records.stream().map(OwnershipRecord::containerName).toList());
    }

    @Test
    @DisplayName("the job of the step itself is never swept as ended")
    void currentJobNeverSweptAsEnded() {
        node.containers.put("pyxis_40_dev", OptionalLong.empty());
        node.expectEpilog(40);
        node.epilogNeverAnswered(40);
        node.journal.clear();

        new Leftovers(node, node, node).removeLeftovers(current, Steps.invocation(current));

        assertEquals(List.of(), node.journal);
        assertTrue(node.containers.containsKey("pyxis_40_dev"));
    }

    @Test
    @DisplayName("a dead step's container that still runs (its tasks outlived the engine) is kept, with its file")
    void stillRunning() {
        ProcessIdentity dead = new ProcessIdentity(300, 3);
        node.containers.put("pyxis_7.1", OptionalLong.of(4242));
        node.records.add(new OwnershipRecord("pyxis_7.1", Ownership.STEP, 7, 1, 0, "boot-1", dead,
                Optional.of("/run/pyxis/1000/7.1.squashfs")));
        ProcessIdentity firstProcess = new ProcessIdentity(4343, 7);
        node.alive.add(firstProcess);
        node.records.add(record("pyxis_7.2", Ownership.STEP, 7, 0, "boot-1", dead)
                .inPlace(new OwnershipRecord.InPlace(firstProcess, "/images/u.sqsh")));
        List<Diagnostic> diagnostics = new Leftovers(node, node, node).removeLeftovers(current,
                Steps.invocation(current));
        assertEquals(List.of("list"), node.journal, "nothing removed, no file deleted");
        assertEquals(List.of(Diagnostic.info("pyxis: container pyxis_7.1 of step 7.1 still runs: kept"),
                Diagnostic.info("pyxis: container pyxis_7.2 of step 7.1 still runs: kept")), diagnostics);
        assertEquals(2, node.records.size(), "kept for a later step, once the container is done");
        node.containers.put("pyxis_7.1", OptionalLong.empty());
        node.alive.remove(firstProcess);
        new Leftovers(node, node, node).removeLeftovers(current, Steps.invocation(current));
        assertEquals(List.of(), node.records);
    }

    @Test
    @DisplayName("a new ledger (a reboot emptied /run): unnamed containers no record names go, unless they run;"
            + " named ones, recorded ones and running ones stay")
    void newLedgerSweepsUnrecordedTemporaryContainers() {
        node.ledgerComplete = false;
        node.containers.put("pyxis_7.0", OptionalLong.empty());        // the dead job's step, global scope
        node.containers.put("pyxis_8_8.1", OptionalLong.empty());      // the dead job's step, job scope
        node.containers.put("pyxis_9.0", OptionalLong.of(4242));       // runs: a process is in it
        node.containers.put("pyxis_10.0", OptionalLong.empty());       // a live step's, recorded after the reboot
        node.containers.put("pyxis_dev", OptionalLong.empty());        // named: the user's
        node.containers.put("pyxis_8_dev", OptionalLong.empty());      // named in job scope: the epilog's or the user's
        ProcessIdentity live = new ProcessIdentity(301, 3);
        node.alive.add(live);
        node.records.add(record("pyxis_10.0", Ownership.STEP, 10, 0, "boot-1", live));
        List<Diagnostic> diagnostics = new Leftovers(node, node, node).removeLeftovers(current,
                Steps.invocation(current));
        assertEquals(List.of("list", "remove pyxis_7.0", "remove pyxis_8_8.1"), node.journal);
        assertEquals(List.of(Diagnostic.info("pyxis: removing leftover container pyxis_7.0 of step 7.0"),
                Diagnostic.info("pyxis: removing leftover container pyxis_8_8.1 of step 8.1"),
                Diagnostic.info("pyxis: container pyxis_9.0 of step 9.0 still runs: kept")), diagnostics);
        assertFalse(node.ledgerComplete, "swept again by the next step, once pyxis_9.0 no longer runs");

        node.containers.put("pyxis_9.0", OptionalLong.empty());
        node.journal.clear();
        new Leftovers(node, node, node).removeLeftovers(current, Steps.invocation(current));
        assertEquals(List.of("list", "remove pyxis_9.0", "mark-complete"), node.journal);
        node.journal.clear();
        new Leftovers(node, node, node).removeLeftovers(current, Steps.invocation(current));
        assertEquals(List.of(), node.journal, "a complete ledger: no listing any more");
        assertTrue(node.containers.keySet().containsAll(List.of("pyxis_10.0", "pyxis_dev", "pyxis_8_dev")));
    }

    @Test
    @DisplayName("a new ledger's sweep does not remove twice what a record named, and a failed removal sweeps again")
    void newLedgerSweepAfterRecordedLeftovers() {
        node.ledgerComplete = false;
        node.containers.put("pyxis_7.1", OptionalLong.empty());
        node.containers.put("pyxis_7.2", OptionalLong.empty());
        node.records.add(record("pyxis_7.1", Ownership.STEP, 7, 0, "boot-1", new ProcessIdentity(1, 1)));
        node.failing.add("remove");
        new Leftovers(node, node, node).removeLeftovers(current, Steps.invocation(current));
        assertEquals(List.of("list", "remove pyxis_7.1", "remove pyxis_7.2"), node.journal);
        assertFalse(node.ledgerComplete);
    }

    @Test
    @DisplayName("nothing to do: not even a listing")
    void nothingToDo() {
        assertEquals(List.of(), new Leftovers(node, node, node).removeLeftovers(current, Steps.invocation(current)));
        assertEquals(List.of(), node.journal);
    }

    @Test
    @DisplayName("a failing removal keeps the record for the next step; a failing listing changes nothing")
    void failures() {
        node.containers.put("pyxis_7.1", OptionalLong.empty());
        node.records.add(record("pyxis_7.1", Ownership.STEP, 7, 0, "boot-1", new ProcessIdentity(1, 1)));
        node.failing.add("remove");
        List<Diagnostic> diagnostics = new Leftovers(node, node, node).removeLeftovers(current,
                Steps.invocation(current));
        assertTrue(diagnostics.contains(Diagnostic.info("pyxis: failed to remove leftover container pyxis_7.1")));
        assertEquals(1, node.records.size());
        node.failing.add("list");
        assertEquals(List.of(Diagnostic.info("pyxis: could not list containers to remove leftovers")),
                new Leftovers(node, node, node).removeLeftovers(current, Steps.invocation(current)));
    }
}
