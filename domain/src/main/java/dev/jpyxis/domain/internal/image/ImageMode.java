package dev.jpyxis.domain.internal.image;

import dev.jpyxis.domain.config.PluginConfig;

/** How the container's root filesystem comes into being (docs/pyxis-compatibility.md#images-and-import). */
public enum ImageMode {
    /** A squashfs file on the node, unpacked with {@code create}. */
    SQUASHFS_CREATE,
    /** A squashfs file started directly (squashfuse + overlay); nothing is created or removed. */
    SQUASHFS_DIRECT,
    /** Registry image: {@code import} to a temporary squashfs file, then {@code create}, then the file is deleted. */
    IMPORT_CREATE,
    /** Registry image extracted straight into the runtime's storage ({@code enroot load}). */
    LOAD,
    /** The admin's importer fetches a squashfs file; it is unpacked with {@code create}, then released. */
    IMPORTER_CREATE,
    /** The importer's squashfs file is started directly; it is released at step end. */
    IMPORTER_DIRECT;

    /**
     * The mode for an image (docs/pyxis-compatibility.md#images-and-import): a squashfs file or the importer's file is
     * started directly only for an unnamed, unsaved container with {@code use_squashfuse}.
     */
    public static ImageMode of(ImageReference image, boolean unnamed, boolean saved, PluginConfig config) {
        boolean direct = config.useSquashfuse() && unnamed && !saved;
        if (image.isSquashfsFile()) {
            return direct ? SQUASHFS_DIRECT : SQUASHFS_CREATE;
        }
        if (config.importer().isPresent()) {
            return direct ? IMPORTER_DIRECT : IMPORTER_CREATE;
        }
        if (config.useEnrootLoad() && !image.fromDockerDaemon()) {
            return LOAD;
        }
        return IMPORT_CREATE;
    }

    /** Whether the image comes from a registry (and the "importing docker image" messages apply). */
    public boolean fromRegistry() {
        return this == IMPORT_CREATE || this == LOAD || this == IMPORTER_CREATE || this == IMPORTER_DIRECT;
    }

    /** Whether the container runs straight from a squashfs file, without a root filesystem of its own. */
    public boolean directStart() {
        return this == SQUASHFS_DIRECT || this == IMPORTER_DIRECT;
    }

    public boolean usesImporter() {
        return this == IMPORTER_CREATE || this == IMPORTER_DIRECT;
    }
}
