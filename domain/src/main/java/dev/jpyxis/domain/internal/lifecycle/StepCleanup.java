package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.out.OwnershipRecord;
import dev.jpyxis.domain.port.out.StepPorts;

import dev.jpyxis.domain.internal.image.ImageMode;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.internal.step.StepContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the last task to exit does: export with {@code --container-save}
 * (docs/pyxis-compatibility.md#saving-a-container), then clean up (docs/pyxis-compatibility.md#cleanup).
 */
final class StepCleanup {

    private final StepContext step;
    private final StepSetup setup;
    private final StepPorts ports;
    private final String runtimeName;

    StepCleanup(StepContext step, StepSetup setup, StepPorts ports) {
        this.step = step;
        this.setup = setup;
        this.ports = ports;
        this.runtimeName = ports.runtime().traits().name();
    }

    /** Exports the container; returns false (after logging why) when the export failed. */
    boolean export(RuntimeInvocation invocation, String asGiven, List<Diagnostic> diagnostics) {
        String name = setup.name().value();
        Optional<String> path = absoluteSavePath(asGiven, diagnostics);
        if (path.isPresent()) {
            try {
                ports.runtime().export(invocation, name, path.get());
                diagnostics.add(Diagnostic.user("pyxis: exported container " + name + " to " + asGiven));
                return true;
            } catch (CommandFailedException failed) {
                diagnostics.add(Diagnostic.error(failed.outcome().line()));
                RuntimeLog.lines(runtimeName, failed.log()).forEach(l -> diagnostics.add(Diagnostic.error(l)));
            }
        }
        diagnostics.add(Diagnostic.error("pyxis: failed to export container " + name + " to " + asGiven));
        return false;
    }

    private Optional<String> absoluteSavePath(String asGiven, List<Diagnostic> diagnostics) {
        String path = asGiven;
        if (!asGiven.startsWith("/")) {
            Optional<String> cwd = step.jobCwd();
            if (cwd.isEmpty()) {
                diagnostics.add(Diagnostic.error("pyxis: container export: relative path used, but job's cwd is "
                        + "unset"));
                return Optional.empty();
            }
            path = cwd.get() + "/" + asGiven;
        }
        if (path.getBytes(StandardCharsets.UTF_8).length >= 4096) {
            diagnostics.add(Diagnostic.error("pyxis: container export: path too long: " + path));
            return Optional.empty();
        }
        return Optional.of(path);
    }

    /**
     * Removes what the step owns: the temporary squashfs file, the importer's file, and the container when it is
     * temporary and was created. Failures are only informational.
     *
     * @param setupBegan whether a setup task ever started creating the root filesystem
     */
    void cleanUp(RuntimeInvocation invocation, boolean setupBegan, List<Diagnostic> diagnostics) {
        ImageMode mode = setup.mode().orElse(null);
        if (mode != null && mode.importsToFile()) {
            ports.files().delete(setup.importFile().orElseThrow());
        }
        if (mode != null && mode.usesImporter()) {
            ImporterRelease.release(ports, invocation, diagnostics, "pyxis: failed to call importer release");
        }
        if (setup.name().temporary() && mode != null && mode.directStart()) {
            eraseOwnership(setup.name().value()); // nothing to remove: the container ran in place
        }
        if (setup.name().temporary() && mode != null && !mode.directStart() && setupBegan) {
            String name = setup.name().value();
            diagnostics.add(Diagnostic.info("pyxis: removing container filesystem: " + name));
            try {
                ports.runtime().remove(invocation, name);
                eraseOwnership(name);
            } catch (CommandFailedException failed) {
                diagnostics.add(Diagnostic.info("pyxis: failed to remove container filesystem: " + name));
            }
        }
    }

    private void eraseOwnership(String name) {
        List<OwnershipRecord> mine = new ArrayList<>();
        for (OwnershipRecord record : ports.ledger().records()) {
            if (record.containerName().equals(name) && record.owner().equals(ports.ledger().self())) {
                mine.add(record);
            }
        }
        mine.forEach(ports.ledger()::erase);
    }
}
