package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.out.OwnershipRecord;

import dev.jpyxis.domain.config.ContainerScope;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.internal.naming.ContainerNaming;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.StepLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The job epilog on each node (docs/pyxis-compatibility.md#job-epilog): with {@code container_scope=job}, removes every
 * container of the job, named or not, and fails only when one of them is still there afterwards.
 */
public final class JobEpilog {

    private final PluginConfig config;
    private final ContainerRuntime runtime;
    private final Optional<StepLedger> ledger;

    public JobEpilog(PluginConfig config, ContainerRuntime runtime, Optional<StepLedger> ledger) {
        this.config = config;
        this.runtime = runtime;
        this.ledger = ledger;
    }

    public HookOutcome run(long jobId, RuntimeInvocation unreported) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        RuntimeInvocation invocation = unreported.reportingTo(diagnostics);
        if (config.containerScope() == ContainerScope.GLOBAL) {
            return HookOutcome.nothing();
        }
        Optional<List<String>> names = jobContainers(jobId, invocation, diagnostics);
        if (names.isEmpty()) {
            return new HookOutcome(diagnostics, true);
        }
        boolean anyFailed = false;
        for (String name : names.get()) {
            diagnostics.add(Diagnostic.verbose("pyxis: epilog: removing container " + name));
            try {
                runtime.remove(invocation, name);
                diagnostics.add(Diagnostic.verbose("pyxis: epilog: removed container " + name));
            } catch (CommandFailedException failed) {
                anyFailed = true;
                diagnostics.add(Diagnostic.error("pyxis: epilog: failed to remove container " + name));
                RuntimeLog.lines(runtime.traits().name(), failed.log())
                        .forEach(line -> diagnostics.add(Diagnostic.error(line)));
            }
        }
        forgetJob(jobId);
        if (!anyFailed) {
            return new HookOutcome(diagnostics, false);
        }
        diagnostics.add(Diagnostic.verbose("pyxis: epilog: checking for leftover containers"));
        Optional<List<String>> remaining = jobContainers(jobId, invocation, diagnostics);
        if (remaining.isEmpty()) {
            return new HookOutcome(diagnostics, true);
        }
        if (remaining.get().isEmpty()) {
            diagnostics.add(Diagnostic.verbose("pyxis: epilog: no leftover containers"));
            return new HookOutcome(diagnostics, false);
        }
        remaining.get().forEach(name -> diagnostics.add(
                Diagnostic.error("pyxis: epilog: container " + name + " was not removed")));
        diagnostics.add(Diagnostic.error("pyxis: epilog: couldn't cleanup pyxis containers for job " + jobId));
        return new HookOutcome(diagnostics, true);
    }

    private Optional<List<String>> jobContainers(long jobId, RuntimeInvocation invocation,
            List<Diagnostic> diagnostics) {
        try {
            return Optional.of(runtime.names(invocation).stream()
                    .filter(name -> ContainerNaming.belongsToJob(name, jobId)).toList());
        } catch (CommandFailedException failed) {
            diagnostics.add(Diagnostic.error("pyxis: couldn't execute " + runtime.traits().name() + " command"));
            RuntimeLog.lines(runtime.traits().name(), failed.log())
                    .forEach(line -> diagnostics.add(Diagnostic.error(line)));
        } catch (PyxisException failed) {
            failed.lines().forEach(line -> diagnostics.add(Diagnostic.error(line)));
        }
        diagnostics.add(Diagnostic.error("pyxis: epilog: couldn't get list of existing containers"));
        return Optional.empty();
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
