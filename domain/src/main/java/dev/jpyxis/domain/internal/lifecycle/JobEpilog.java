package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.out.OwnershipRecord;

import dev.jpyxis.domain.config.ContainerScope;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.internal.naming.ContainerNaming;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.CommandOutcome;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.StepLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The job epilog on each node (docs/pyxis-compatibility.md#job-epilog): with {@code container_scope=job}, removes every
 * container of the job, named or not. Beyond pyxis, it fails (and so drains the node) only for the node's own faults:
 * a runtime that cannot be started. The runtime runs as the job's user, so a list or a removal that fails once it
 * runs fails in that user's storage: logged, retried, and left to the user (docs/lifecycle.md#the-job-epilog).
 */
public final class JobEpilog {

    /** How often the list is read before giving up, and how many rounds of removals are tried. */
    static final int ATTEMPTS = 3;

    private final PluginConfig config;
    private final ContainerRuntime runtime;
    private final Optional<StepLedger> ledger;

    public JobEpilog(PluginConfig config, ContainerRuntime runtime, Optional<StepLedger> ledger) {
        this.config = config;
        this.runtime = runtime;
        this.ledger = ledger;
    }

    /** Whose fault a failure of the runtime is: the node's when the runtime could not even be started. */
    private static boolean nodeFault(RuntimeException failure) {
        return failure instanceof CommandFailedException failed
                && failed.outcome() instanceof CommandOutcome.NotStarted;
    }

    public HookOutcome run(long jobId, RuntimeInvocation unreported) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        RuntimeInvocation invocation = unreported.reportingTo(diagnostics);
        if (config.containerScope() == ContainerScope.GLOBAL) {
            return HookOutcome.nothing();
        }
        Listing listing = jobContainers(jobId, invocation, diagnostics);
        boolean nodeFault = listing.nodeFault();
        boolean listed = listing.names().isPresent();
        boolean anyFailed = !listed;
        for (int round = 1; round <= ATTEMPTS && listing.names().filter(names -> !names.isEmpty()).isPresent();
                round++) {
            anyFailed = false;
            for (String name : listing.names().get()) {
                diagnostics.add(Diagnostic.verbose("pyxis: epilog: removing container " + name));
                try {
                    runtime.remove(invocation, name);
                    diagnostics.add(Diagnostic.verbose("pyxis: epilog: removed container " + name));
                } catch (CommandFailedException failed) {
                    anyFailed = true;
                    nodeFault |= nodeFault(failed);
                    diagnostics.add(Diagnostic.error("pyxis: epilog: failed to remove container " + name));
                    RuntimeLog.lines(runtime.traits().name(), failed.log())
                            .forEach(line -> diagnostics.add(Diagnostic.error(line)));
                }
            }
            if (!anyFailed || nodeFault) {
                break; // a runtime that cannot be started will not start on the next round either
            }
            diagnostics.add(Diagnostic.verbose("pyxis: epilog: checking for leftover containers"));
            listing = jobContainers(jobId, invocation, diagnostics);
            nodeFault |= listing.nodeFault();
            if (listing.names().filter(List::isEmpty).isPresent()) {
                diagnostics.add(Diagnostic.verbose("pyxis: epilog: no leftover containers"));
                anyFailed = false;
            }
        }
        if (!anyFailed) {
            forgetJob(jobId);
            return new HookOutcome(diagnostics, false);
        }
        listing.names().ifPresent(names -> {
            names.forEach(name -> diagnostics.add(
                    Diagnostic.error("pyxis: epilog: container " + name + " was not removed")));
            diagnostics.add(Diagnostic.error("pyxis: epilog: couldn't cleanup pyxis containers for job " + jobId));
        });
        if (nodeFault) {
            if (listed) {
                forgetJob(jobId);
            }
            return new HookOutcome(diagnostics, true);
        }
        diagnostics.add(Diagnostic.error("pyxis: epilog: the node stays in service: " + runtime.traits().name()
                + " ran as the job's user and failed in that user's own storage; what job " + jobId
                + " left there stays until the user removes it"));
        forgetJob(jobId);
        return new HookOutcome(diagnostics, false);
    }

    /** The job's containers, or none when the list failed {@link #ATTEMPTS} times (the last failure is logged). */
    private record Listing(Optional<List<String>> names, boolean nodeFault) {
    }

    private Listing jobContainers(long jobId, RuntimeInvocation invocation, List<Diagnostic> diagnostics) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                return new Listing(Optional.of(runtime.names(invocation).stream()
                        .filter(name -> ContainerNaming.belongsToJob(name, jobId)).toList()), false);
            } catch (CommandFailedException | PyxisException failed) {
                last = failed;
                if (nodeFault(failed)) {
                    break; // a runtime that cannot start will not start on the next try
                }
            }
        }
        if (last instanceof CommandFailedException failed) {
            diagnostics.add(Diagnostic.error("pyxis: couldn't execute " + runtime.traits().name() + " command"));
            RuntimeLog.lines(runtime.traits().name(), failed.log())
                    .forEach(line -> diagnostics.add(Diagnostic.error(line)));
        } else if (last instanceof PyxisException failed) {
            failed.lines().forEach(line -> diagnostics.add(Diagnostic.error(line)));
        }
        diagnostics.add(Diagnostic.error("pyxis: epilog: couldn't get list of existing containers"));
        return new Listing(Optional.empty(), nodeFault(last));
    }

    private void forgetJob(long jobId) {
        ledger.ifPresent(records -> {
            records.records().stream()
                    .filter(record -> record.jobId() == jobId && record.ownership() == OwnershipRecord.Ownership.JOB)
                    .toList().forEach(records::erase);
            records.epilogDone(jobId);
        });
    }
}
