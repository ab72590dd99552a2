package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.out.OwnershipRecord;
import dev.jpyxis.domain.port.out.StepPorts;

import dev.jpyxis.domain.config.ContainerScope;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.internal.image.ImageMode;
import dev.jpyxis.domain.internal.image.ImageReference;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.ImageImporter;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.internal.step.StepContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Brings a step's root filesystem into being according to its image mode
 * (docs/pyxis-compatibility.md#images-and-import), as the setup task does: import (through the user's image cache
 * where it applies, docs/runtimes.md#the-image-cache), load, importer and create, with pyxis's messages. Records
 * ownership before anything is created.
 */
final class RootFilesystemSetup {

    private final StepContext step;
    private final StepSetup setup;
    private final PluginConfig config;
    private final StepPorts ports;
    private final String runtimeName;
    private final CachedImages.Lookup cache;
    private final ProgressLines progress;
    private final int setupTask;
    private boolean announced;
    /** The lines of the setup not shown yet. */
    private List<Diagnostic> pending;

    /**
     * @param cache     what the setup task learnt of the image in the user's cache before the setup
     * @param progress  where the lines about a long command go, at once, through the setup task {@code setupTask}
     * @param announced the "importing" line was shown already, before the setup began
     */
    RootFilesystemSetup(StepContext step, StepSetup setup, PluginConfig config, StepPorts ports,
            CachedImages.Lookup cache, ProgressLines progress, int setupTask, boolean announced) {
        this.step = step;
        this.setup = setup;
        this.config = config;
        this.ports = ports;
        this.runtimeName = ports.runtime().traits().name();
        this.cache = cache;
        this.progress = progress;
        this.setupTask = setupTask;
        this.announced = announced;
    }

    /** What the setup produced: where the container starts from, and the importer file it holds, if any. */
    record Result(String target, boolean fromSquashfsFile, Optional<String> importerFile) {
    }

    /**
     * @param diagnostics receives the lines to show the user, in order
     * @throws PyxisException with the error lines when the setup fails
     */
    Result run(RuntimeInvocation unreported, List<Diagnostic> diagnostics) {
        pending = diagnostics;
        RuntimeInvocation invocation = unreported.reportingTo(diagnostics);
        String name = setup.name().value();
        if (setup.mode().isEmpty()) {
            return new Result(setup.inPlaceImage().orElse(name), setup.inPlaceImage().isPresent(), Optional.empty());
        }
        ImageMode mode = setup.mode().get();
        ImageReference image = setup.image().orElseThrow();
        if (mode == ImageMode.SQUASHFS_DIRECT) {
            diagnostics.add(Diagnostic.info(config.useSquashfuse()
                    ? "pyxis: skipping container creation (squashfuse enabled)"
                    : "pyxis: skipping container creation (the image starts in place)"));
            return new Result(image.asGiven(), true, Optional.empty());
        }
        long started = ports.clock().nanos();
        Result result = switch (mode) {
            case SQUASHFS_CREATE -> {
                create(invocation, name, image.asGiven(), image, diagnostics);
                yield new Result(name, false, Optional.empty());
            }
            case IMPORT_CREATE -> importAndCreate(invocation, name, image, diagnostics);
            case IMPORT_DIRECT -> {
                String temporary = setup.importFile().orElseThrow();
                recordOwnership(Optional.of(temporary));
                yield new Result(imageFile(invocation, image, temporary, diagnostics), true, Optional.empty());
            }
            case LOAD -> {
                recordOwnership(Optional.empty());
                runImport(image, diagnostics, () -> ports.runtime().load(invocation, image.uri(), name));
                yield new Result(name, false, Optional.empty());
            }
            case IMPORTER_CREATE -> importerCreate(invocation, name, image, diagnostics);
            case IMPORTER_DIRECT -> {
                String file = importerGet(invocation, image, diagnostics);
                diagnostics.add(Diagnostic.info("pyxis: using importer squashfs directly: " + file));
                yield new Result(file, true, Optional.of(file));
            }
            case SQUASHFS_DIRECT -> throw new IllegalStateException("handled above");
        };
        long millis = (ports.clock().nanos() - started) / 1_000_000;
        diagnostics.add(Diagnostic.info("pyxis: completed container setup in " + millis + " ms"));
        return result;
    }

    private Result importAndCreate(RuntimeInvocation invocation, String name, ImageReference image,
            List<Diagnostic> diagnostics) {
        String temporary = setup.importFile().orElseThrow();
        recordOwnership(Optional.of(temporary));
        try {
            create(invocation, name, imageFile(invocation, image, temporary, diagnostics), image, diagnostics);
        } finally {
            ports.files().delete(temporary).ifPresent(reason -> diagnostics.add(
                    Diagnostic.info("pyxis: could not remove squashfs " + temporary + ": " + reason)));
        }
        return new Result(name, false, Optional.empty());
    }

    /**
     * The registry image's squashfs file: the cache's entry where the image goes through the cache and the cache
     * works, else the step's own {@code temporary} file, imported now.
     */
    private String imageFile(RuntimeInvocation invocation, ImageReference image, String temporary,
            List<Diagnostic> diagnostics) {
        if (cache instanceof CachedImages.Lookup.Cached cached) {
            Optional<String> file = CachedImages.fetch(config, ports, cached.key(), image, invocation, diagnostics,
                    command -> importing(image, command));
            if (file.isPresent()) {
                return file.get();
            }
        }
        runImport(image, diagnostics, () -> ports.runtime().importImage(invocation, image.uri(), temporary));
        return temporary;
    }

    private Result importerCreate(RuntimeInvocation invocation, String name, ImageReference image,
            List<Diagnostic> diagnostics) {
        String file = importerGet(invocation, image, diagnostics);
        try {
            create(invocation, name, file, image, diagnostics);
        } finally {
            ImporterRelease.release(ports, invocation, diagnostics, "pyxis: could not call importer release");
        }
        return new Result(name, false, Optional.empty());
    }

    private String importerGet(RuntimeInvocation invocation, ImageReference image, List<Diagnostic> diagnostics) {
        ImageImporter importer = ports.importer().orElseThrow();
        try {
            String file = importing(image, () -> importer.get(invocation, image.uri()));
            diagnostics.add(Diagnostic.verbose("pyxis: importer squashfs path: " + file));
            diagnostics.add(imported(image));
            return file;
        } catch (CommandFailedException failed) {
            ImporterRelease.release(ports, invocation, diagnostics, "pyxis: could not call importer release");
            List<String> lines = new ArrayList<>();
            lines.add(failed.outcome() instanceof dev.jpyxis.domain.port.out.CommandOutcome.Signaled signaled
                    ? "pyxis: importer get terminated with signal " + signaled.signal()
                    : failed.outcome() instanceof dev.jpyxis.domain.port.out.CommandOutcome.Exited exited
                            ? "pyxis: importer get failed with exit code " + exited.code()
                            : failed.outcome().line());
            lines.addAll(RuntimeLog.lines("importer", failed.log()));
            lines.add(importFailure(image, importer));
            throw new PyxisException(lines);
        } catch (ImageImporter.ImporterGaveNoPathException noPath) {
            ImporterRelease.release(ports, invocation, diagnostics, "pyxis: could not call importer release");
            List<String> lines = new ArrayList<>();
            lines.add("pyxis: importer did not return a squashfs path");
            lines.addAll(RuntimeLog.lines("importer", noPath.log()));
            lines.add(importFailure(image, importer));
            throw new PyxisException(lines);
        }
    }

    private static String importFailure(ImageReference image, ImageImporter importer) {
        return "pyxis: failed to import docker image: " + image.asGiven() + " (importer: " + importer.path() + ")";
    }

    private void runImport(ImageReference image, List<Diagnostic> diagnostics, Runnable command) {
        try {
            importing(image, command);
        } catch (CommandFailedException failed) {
            throw importFailure(failed, image, runtimeName);
        }
        diagnostics.add(imported(image));
    }

    /** What a failed import of a registry image reports. */
    static PyxisException importFailure(CommandFailedException failed, ImageReference image, String runtimeName) {
        List<String> lines = new ArrayList<>();
        lines.add(failed.outcome().line());
        lines.add("pyxis: failed to import docker image: " + image.asGiven());
        lines.addAll(RuntimeLog.lines(runtimeName, failed.log()));
        return new PyxisException(lines);
    }

    /** The line every successful import of a registry image shows the user. */
    static Diagnostic imported(ImageReference image) {
        return Diagnostic.user("pyxis: imported docker image: " + image.asGiven());
    }

    /**
     * Runs a command that brings a registry image to the node, watched: the "importing" line first, unless it was
     * shown already (once: a failed import into the cache is followed by one without it). What the setup said so far
     * is shown first, so that no line about the command comes before it.
     */
    private <T> T importing(ImageReference image, Supplier<T> command) {
        if (!announced) {
            announced = true;
            pending.add(progress.importing(step, image));
        }
        progress.showNow(setupTask, pending);
        return progress.watch(setupTask, ProgressLines.Work.IMPORTING, image.asGiven(), command);
    }

    private void importing(ImageReference image, Runnable command) {
        importing(image, () -> {
            command.run();
            return null;
        });
    }

    private void create(RuntimeInvocation invocation, String name, String squashfsFile, ImageReference image,
            List<Diagnostic> diagnostics) {
        if (setup.mode().orElseThrow() == ImageMode.SQUASHFS_CREATE || setup.mode().get().usesImporter()) {
            recordOwnership(Optional.empty());
        }
        diagnostics.add(Diagnostic.info("pyxis: creating container filesystem: " + name));
        progress.showNow(setupTask, pending);
        try {
            progress.watch(setupTask, ProgressLines.Work.UNPACKING, image.asGiven(), () -> {
                ports.runtime().create(invocation, name, squashfsFile);
                return null;
            });
        } catch (CommandFailedException failed) {
            List<String> lines = new ArrayList<>();
            lines.add(failed.outcome().line());
            lines.add("pyxis: failed to create container filesystem for image: " + image.asGiven());
            lines.addAll(RuntimeLog.lines(runtimeName, failed.log()));
            throw new PyxisException(lines);
        }
    }

    /** Temporary and job-scoped containers are recorded so a later step can remove them if this one crashes. */
    private void recordOwnership(Optional<String> temporaryFile) {
        OwnershipRecord.Ownership ownership;
        if (setup.name().temporary()) {
            ownership = OwnershipRecord.Ownership.STEP;
        } else if (config.containerScope() == ContainerScope.JOB) {
            ownership = OwnershipRecord.Ownership.JOB;
        } else {
            return;
        }
        ports.ledger().write(new OwnershipRecord(setup.name().value(), ownership, step.jobId(), step.stepId(),
                step.restartCount(), ports.ledger().bootId(), ports.ledger().self(), temporaryFile));
    }
}
