package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.internal.image.ImageMode;
import dev.jpyxis.domain.internal.image.ImageReference;
import dev.jpyxis.domain.internal.naming.ContainerName;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.internal.option.MountEntry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What {@code user_init} decided for a step on one node (docs/pyxis-compatibility.md#named-containers-and-reuse): the
 * container's name, what is reused, how the root filesystem comes about, and the mounts.
 *
 * @param attachPid   with {@link Reuse#NAMESPACES}: the running container's first process
 * @param mode        how the root filesystem is made; empty when it is reused
 * @param importFile  the temporary squashfs file of {@link ImageMode#IMPORT_CREATE}
 * @param mounts      the mounts, the batch script's included; empty when attaching
 * @param executeEntrypoint the option, or the plugstack default
 * @param inPlaceImage when reusing a container that runs in place: the squashfs file it started from, which this
 *                     step's own first process starts from too
 */
public record StepSetup(
        ContainerName name,
        Reuse reuse,
        OptionalLong attachPid,
        Optional<ImageMode> mode,
        Optional<ImageReference> image,
        Optional<String> importFile,
        List<MountEntry> mounts,
        boolean executeEntrypoint,
        ContainerOptions options,
        Optional<String> inPlaceImage) {

    public StepSetup {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reuse, "reuse");
        Objects.requireNonNull(attachPid, "attachPid");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(importFile, "importFile");
        mounts = List.copyOf(mounts);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(inPlaceImage, "inPlaceImage");
        if (inPlaceImage.isPresent() && reuse == Reuse.NONE) {
            throw new IllegalArgumentException("only a reused container can have started in place");
        }
        if ((reuse == Reuse.NONE) != mode.isPresent()) {
            throw new IllegalArgumentException("an image mode is needed exactly when nothing is reused");
        }
        if ((reuse == Reuse.NAMESPACES) != attachPid.isPresent()) {
            throw new IllegalArgumentException("a pid to attach to is needed exactly when namespaces are reused");
        }
    }

    /** The root filesystem must be created by the setup task. */
    public boolean createsRootFilesystem() {
        return mode.isPresent() && !mode.get().directStart();
    }

    /** The container starts straight from a squashfs file, whose mount lives as long as its first process. */
    public boolean directStart() {
        return mode.isPresent() ? mode.get().directStart() : reuse == Reuse.FILESYSTEM && inPlaceImage.isPresent();
    }
}
