package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.config.ImageUnpack;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.option.TriState;
import dev.jpyxis.domain.internal.image.ImageMode;
import dev.jpyxis.domain.internal.image.ImageReference;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.internal.mount.MountPlanning;
import dev.jpyxis.domain.internal.naming.ContainerName;
import dev.jpyxis.domain.internal.naming.ContainerNaming;
import dev.jpyxis.domain.internal.option.ContainerNameRequest;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.internal.option.MountEntry;
import dev.jpyxis.domain.internal.option.NameFlag;
import dev.jpyxis.domain.port.out.ContainerListing;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.NodeFiles;
import dev.jpyxis.domain.port.out.PathProbe;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.StepLedger;
import dev.jpyxis.domain.internal.step.StepContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The {@code user_init} decision procedure (docs/pyxis-compatibility.md#named-containers-and-reuse), once per step and
 * node.
 */
public final class StepPreparation {

    private final PluginConfig config;
    private final ContainerRuntime runtime;
    private final StepLedger ledger;
    private final NodeFiles files;

    public StepPreparation(PluginConfig config, ContainerRuntime runtime, StepLedger ledger, NodeFiles files) {
        this.config = config;
        this.runtime = runtime;
        this.ledger = ledger;
        this.files = files;
    }

    /**
     * @param invocation how runtime commands run during {@code user_init} (the job environment, as the user)
     */
    public PreparedStep prepare(StepContext step, ContainerOptions options, RuntimeInvocation invocation) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        try {
            return new PreparedStep.Ready(decide(step, options, invocation.reportingTo(diagnostics), diagnostics),
                    diagnostics);
        } catch (PyxisException failure) {
            failure.lines().forEach(line -> diagnostics.add(Diagnostic.error(line)));
            diagnostics.add(Diagnostic.debug("pyxis: user_init() failed with rc=-1; postponing error for now, will "
                    + "report later"));
            return new PreparedStep.Deferred(diagnostics);
        }
    }

    private StepSetup decide(StepContext step, ContainerOptions options, RuntimeInvocation invocation,
            List<Diagnostic> diagnostics) {
        List<MountEntry> mounts = options.mounts();
        if (step.isBatchStep()) {
            String script = step.batchScript().orElseThrow(() -> new PyxisException(List.of(
                    "pyxis: couldn't get sbatch script: argc == 0",
                    "pyxis: couldn't add bind mount for sbatch script")));
            mounts = MountPlanning.withMount(mounts, MountPlanning.batchScriptMount(script));
        }
        ContainerName name = ContainerNaming.forStep(config.containerScope(), step.jobId(), step.stepId(),
                options.name());
        Reuse reuse = Reuse.NONE;
        OptionalLong attachPid = OptionalLong.empty();
        Optional<String> inPlaceImage = Optional.empty();
        if (options.name().isPresent()) {
            ContainerNameRequest request = options.name().get();
            Optional<Existing> existing = find(name.value(), invocation);
            boolean exists = existing.isPresent();
            boolean running = exists && existing.get().listing().running();
            inPlaceImage = existing.flatMap(Existing::inPlaceImage);
            if (request.flag() == NameFlag.CREATE && exists) {
                throw new PyxisException("pyxis: error: \"create\" flag was passed to --container-name but the "
                        + "container already exists");
            }
            if (request.flag() == NameFlag.EXEC && !running) {
                throw new PyxisException("pyxis: error: \"exec\" flag was passed to --container-name but the "
                        + "container is not running");
            }
            if (request.flag() == NameFlag.NO_EXEC) {
                running = false;
            }
            if (running) {
                diagnostics.add(Diagnostic.info("pyxis: reusing existing container namespaces"));
                reuse = Reuse.NAMESPACES;
                attachPid = existing.get().listing().pid();
            } else if (exists) {
                diagnostics.add(Diagnostic.info("pyxis: reusing existing container filesystem"));
                reuse = Reuse.FILESYSTEM;
            } else if (options.image().isEmpty()) {
                throw new PyxisException("pyxis: error: a container with name \"" + name.value()
                        + "\" does not exist, and --container-image is not set");
            }
        }
        Optional<ImageMode> mode = Optional.empty();
        Optional<String> importFile = Optional.empty();
        Optional<ImageReference> image = options.image().map(ImageReference::new);
        if (reuse == Reuse.NONE) {
            ImageReference reference = image.orElseThrow();
            mode = Optional.of(imageMode(reference, name, options, mounts, invocation));
            if (mode.get().importsToFile()) {
                importFile = Optional.of(shortPath(config.runtimePath() + "/" + step.uid() + "/" + step.stepTag()
                        + ".squashfs", "pyxis: temporary squashfs path too long"));
            }
        }
        if (reuse == Reuse.NAMESPACES && !mounts.isEmpty()) {
            diagnostics.add(Diagnostic.user("pyxis: ignoring --container-mounts when attaching to a running "
                    + "container"));
            mounts = List.of();
        }
        boolean entrypoint = options.entrypoint().orElse(config.executeEntrypoint());
        return new StepSetup(name, reuse, attachPid, mode, image, importFile, mounts, entrypoint, options,
                inPlaceImage);
    }

    private ImageMode imageMode(ImageReference image, ContainerName name, ContainerOptions options,
            List<MountEntry> mounts, RuntimeInvocation invocation) {
        if (image.isSquashfsFile()) {
            shortPath(image.asGiven(), "pyxis: --container-image: squashfs path too long: " + image.asGiven());
        }
        return ImageMode.of(image, name.temporary(), options.save().isPresent(), config,
                startsInPlace(image, name, options, mounts, invocation));
    }

    /**
     * Whether the image of this container may start in place rather than be unpacked
     * (docs/runtimes.md#images-started-in-place): {@code image_unpack=auto}, a container the step does not keep, not asked to be writable (its writes
     * would go to memory), on a node that can. A runtime that cannot add mount points to an image started in place
     * (Charliecloud) does so only without mounts. A squashfs file that cannot be read is unpacked as pyxis does,
     * which reports it as pyxis does.
     */
    private boolean startsInPlace(ImageReference image, ContainerName name, ContainerOptions options,
            List<MountEntry> mounts, RuntimeInvocation invocation) {
        if (config.imageUnpack() != ImageUnpack.AUTO || !name.temporary() || options.save().isPresent()
                || options.writable() == TriState.TRUE || !runtime.startsSquashfsDirectly(invocation)) {
            return false;
        }
        if (!runtime.traits().has(RuntimeFeature.WRITABLE_SQUASHFS_START)
                && (!mounts.isEmpty() || options.mountHome() == TriState.TRUE)) {
            return false;
        }
        if (!image.isSquashfsFile()) {
            return true;
        }
        String path = image.asGiven().startsWith("/") ? image.asGiven()
                : invocation.workingDirectory() + "/" + image.asGiven();
        return files.probe(path) instanceof PathProbe.Exists;
    }

    /** A container of that name: as its runtime lists it, or as its record says it runs in place. */
    private record Existing(ContainerListing listing, Optional<String> inPlaceImage) {
    }

    private Optional<Existing> find(String name, RuntimeInvocation invocation) {
        List<ContainerListing> containers;
        try {
            containers = runtime.list(invocation);
        } catch (PyxisException failure) {
            List<String> lines = new ArrayList<>(failure.lines());
            lines.add("pyxis: couldn't get list of containers");
            throw new PyxisException(lines);
        } catch (dev.jpyxis.domain.port.out.CommandFailedException failure) {
            List<String> lines = new ArrayList<>();
            lines.add(failure.outcome().line());
            lines.add("pyxis: couldn't get list of existing container filesystems");
            lines.addAll(RuntimeLog.lines(runtime.traits().name(), failure.log()));
            lines.add("pyxis: couldn't get list of containers");
            throw new PyxisException(lines);
        }
        Optional<ContainerListing> listed = containers.stream().filter(c -> c.name().equals(name)).findFirst();
        return listed.isPresent() ? listed.map(listing -> new Existing(listing, Optional.empty())) : runningInPlace(name);
    }

    /** A temporary container of the user's that runs in place: no runtime lists it, its ownership record does. */
    private Optional<Existing> runningInPlace(String name) {
        return ledger.records().stream().filter(record -> record.containerName().equals(name))
                .flatMap(record -> record.startedInPlace().stream())
                .filter(container -> ledger.isAlive(container.firstProcess())).findFirst()
                .map(container -> new Existing(ContainerListing.running(name, container.firstProcess().pid()),
                        Optional.of(container.image())));
    }

    private static String shortPath(String path, String failure) {
        if (path.getBytes(StandardCharsets.UTF_8).length >= PluginConfig.PATH_MAX) {
            throw new PyxisException(failure);
        }
        return path;
    }
}
