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
import dev.jpyxis.domain.internal.step.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Beyond pyxis: what a step that never got to clean up left behind (slurmstepd killed, node rebooted, job requeued),
 * recognised from the user's ownership records and removed at the next step on the node. A record is a leftover
 * only when its owner is provably gone, so another live step's containers are never touched.
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

    /** Removes the leftovers of the current user on this node; returns what to log (informational). */
    public List<Diagnostic> removeLeftovers(StepContext current, RuntimeInvocation invocation) {
        String bootId = ledger.bootId();
        List<OwnershipRecord> leftovers = new ArrayList<>();
        for (OwnershipRecord record : ledger.records()) {
            boolean alive = record.bootId().equals(bootId) && ledger.isAlive(record.owner());
            if (isLeftover(record, current, bootId, alive)) {
                leftovers.add(record);
            }
        }
        List<Diagnostic> diagnostics = new ArrayList<>();
        if (leftovers.isEmpty()) {
            return diagnostics;
        }
        Set<String> existing;
        try {
            existing = runtime.list(invocation).stream().map(ContainerListing::name).collect(Collectors.toSet());
        } catch (CommandFailedException | PyxisException unavailable) {
            diagnostics.add(Diagnostic.info("pyxis: could not list containers to remove leftovers"));
            return diagnostics;
        }
        for (OwnershipRecord leftover : leftovers) {
            leftover.temporaryFile().ifPresent(files::delete);
            if (existing.contains(leftover.containerName())) {
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
        return diagnostics;
    }
}
