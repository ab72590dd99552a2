package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.out.OwnershipRecord;

import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.ContainerListing;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.NodeFiles;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.StepLedger;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.internal.naming.ContainerNaming;
import dev.jpyxis.domain.internal.step.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Beyond pyxis: what a step that never got to clean up left behind (slurmstepd killed, node rebooted, job requeued),
 * recognised from the user's ownership records and removed at the next step on the node. A record is a leftover
 * only when its owner is provably gone, so another live step's containers are never touched. A new ledger (a reboot
 * emptied {@code /run}) cannot name what the earlier boot left: the first step then sweeps the unnamed containers no
 * record names and nothing runs in; named ones are the user's and stay. A job whose epilog never answered (its
 * engines killed) leaves an ended trace: every container of that job goes then, as its epilog would have removed it.
 */
public final class Leftovers {

    private final ContainerRuntime runtime;
    private final StepLedger ledger;
    private final NodeFiles files;

    public Leftovers(ContainerRuntime runtime, StepLedger ledger, NodeFiles files) {
        this.runtime = runtime;
        this.ledger = ledger;
        this.files = files;
    }

    /** Whether a record's owner is gone and its container is no longer wanted by anyone. */
    static boolean isLeftover(OwnershipRecord record, StepContext current, String bootId, boolean ownerAlive) {
        boolean sameBoot = record.bootId().equals(bootId);
        if (sameBoot && ownerAlive) {
            return false;
        }
        return switch (record.ownership()) {
            case STEP -> true;
            case JOB -> !sameBoot
                    || record.jobId() == current.jobId() && record.restartCount() != current.restartCount();
        };
    }

    /** A process still runs in the container: the runtime lists it as running, or its first process started in place lives. */
    private boolean stillRuns(OwnershipRecord record, Map<String, ContainerListing> existing) {
        ContainerListing listed = existing.get(record.containerName());
        if (listed != null && listed.running()) {
            return true;
        }
        return record.startedInPlace().map(container -> ledger.isAlive(container.firstProcess())).orElse(false);
    }

    /** Removes the leftovers of the current user on this node; returns what to log (informational). */
    public List<Diagnostic> removeLeftovers(StepContext current, RuntimeInvocation invocation) {
        String bootId = ledger.bootId();
        boolean sweep = !ledger.complete();
        List<OwnershipRecord> leftovers = new ArrayList<>();
        for (OwnershipRecord record : ledger.records()) {
            boolean alive = record.bootId().equals(bootId) && ledger.isAlive(record.owner());
            if (isLeftover(record, current, bootId, alive)) {
                leftovers.add(record);
            }
        }
        List<Long> endedJobs = ledger.jobsLeftToSweep().stream().filter(job -> job != current.jobId()).toList();
        List<Diagnostic> diagnostics = new ArrayList<>();
        if (leftovers.isEmpty() && !sweep && endedJobs.isEmpty()) {
            return diagnostics;
        }
        invocation = invocation.reportingTo(diagnostics);
        Map<String, ContainerListing> existing = new HashMap<>();
        try {
            runtime.list(invocation).forEach(listing -> existing.put(listing.name(), listing));
        } catch (CommandFailedException | PyxisException unavailable) {
            diagnostics.add(Diagnostic.info("pyxis: could not list containers to remove leftovers"));
            return diagnostics;
        }
        for (OwnershipRecord leftover : leftovers) {
            if (stillRuns(leftover, existing)) {
                // its engine died, its tasks did not: the container is in use, and goes once they are done
                diagnostics.add(Diagnostic.info("pyxis: container " + leftover.containerName() + " of step "
                        + leftover.jobId() + "." + leftover.stepId() + " still runs: kept"));
                continue;
            }
            leftover.temporaryFile().ifPresent(files::delete);
            if (existing.containsKey(leftover.containerName())) {
                diagnostics.add(Diagnostic.info("pyxis: removing leftover container " + leftover.containerName()
                        + " of step " + leftover.jobId() + "." + leftover.stepId()));
                try {
                    runtime.remove(invocation, leftover.containerName());
                } catch (CommandFailedException failed) {
                    diagnostics.add(Diagnostic.info("pyxis: failed to remove leftover container "
                            + leftover.containerName()));
                    continue;
                }
            }
            ledger.erase(leftover);
        }
        if (sweep) {
            Set<String> handled = new HashSet<>();
            leftovers.forEach(leftover -> handled.add(leftover.containerName()));
            sweepUnrecorded(existing, handled, invocation, diagnostics);
        }
        for (long job : endedJobs) {
            sweepEndedJob(job, existing, invocation, diagnostics);
        }
        return diagnostics;
    }

    /**
     * Removes every container of a job that ended without its epilog (named or not: the epilog removes both with
     * {@code container_scope=job}), unless a process runs in it; forgets the job once none is left.
     */
    private void sweepEndedJob(long jobId, Map<String, ContainerListing> existing, RuntimeInvocation invocation,
            List<Diagnostic> diagnostics) {
        boolean swept = true;
        for (ContainerListing listing : new TreeMap<>(existing).values()) {
            if (!ContainerNaming.belongsToJob(listing.name(), jobId)) {
                continue;
            }
            swept &= removeIdle(listing, "of ended job " + jobId,
                    "pyxis: removing container " + listing.name() + " of job " + jobId
                            + ", which ended without its epilog", invocation, diagnostics);
        }
        if (swept) {
            ledger.records().stream().filter(record -> record.jobId() == jobId).toList().forEach(ledger::erase);
            ledger.jobSwept(jobId);
        }
    }

    /**
     * Removes the unnamed containers no record names, unless a process runs in them. The records are read after the
     * listing: a step records its container before it creates it, so a container listed without a record was made
     * before this ledger began. Marks the ledger complete once nothing unrecorded is left.
     */
    private void sweepUnrecorded(Map<String, ContainerListing> existing, Set<String> handled,
            RuntimeInvocation invocation, List<Diagnostic> diagnostics) {
        Set<String> recorded = new HashSet<>(handled);
        ledger.records().forEach(record -> recorded.add(record.containerName()));
        boolean swept = true;
        for (ContainerListing listing : new TreeMap<>(existing).values()) {
            Optional<String> step = ContainerNaming.temporaryStep(listing.name());
            if (step.isEmpty() || recorded.contains(listing.name())) {
                continue;
            }
            swept &= removeIdle(listing, "of step " + step.get(),
                    "pyxis: removing leftover container " + listing.name() + " of step " + step.get(), invocation,
                    diagnostics);
        }
        if (swept) {
            ledger.markComplete();
        }
    }

    /** Removes a listed container in which nothing runs; whether it is gone (a running one is kept, and said so). */
    private boolean removeIdle(ContainerListing listing, String whose, String removalLine, RuntimeInvocation invocation,
            List<Diagnostic> diagnostics) {
        if (listing.running()) {
            diagnostics.add(Diagnostic.info("pyxis: container " + listing.name() + " " + whose + " still runs: kept"));
            return false;
        }
        diagnostics.add(Diagnostic.info(removalLine));
        try {
            runtime.remove(invocation, listing.name());
            return true;
        } catch (CommandFailedException failed) {
            diagnostics.add(Diagnostic.info("pyxis: failed to remove leftover container " + listing.name()));
            return false;
        }
    }
}
