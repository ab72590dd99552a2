package dev.jpyxis.domain.internal.image;

import dev.jpyxis.domain.config.PluginConfig;

/** How the container's root filesystem comes into being (docs/pyxis-compatibility.md#images-and-import). */
public enum ImageMode {
    /** A squashfs file on the node, unpacked with {@code create}. */
    SQUASHFS_CREATE,
    /** A squashfs file started directly (squashfuse + overlay); nothing is created or removed. */
    SQUASHFS_DIRECT,
    /**
     * Registry image: {@code import} to a squashfs file, then {@code create}; the file is the user's cache entry
     * (docs/runtimes.md#the-image-cache), or a temporary one deleted right after.
     */
    IMPORT_CREATE,
    /**
     * Registry image: {@code import} to a squashfs file, started directly; the file is the user's cache entry, or a
     * temporary one that goes at step end.
     */
    IMPORT_DIRECT,
    /** Registry image extracted straight into the runtime's storage ({@code enroot load}). */
    LOAD,
    /** The admin's importer fetches a squashfs file; it is unpacked with {@code create}, then released. */
    IMPORTER_CREATE,
    /** The importer's squashfs file is started directly; it is released at step end. */
    IMPORTER_DIRECT;

    /**
     * The mode for an image (docs/pyxis-compatibility.md#images-and-import): only an unnamed, unsaved container is
     * started from a squashfs file directly, with {@code use_squashfuse} as in pyxis, or where jpyxis can start it in
     * place instead of unpacking it ({@code image_unpack=auto}, docs/runtimes.md#images-started-in-place).
     *
     * @param inPlace whether this container's image may be started in place: the configuration, its writability and
     *                the node allow it
     */
    public static ImageMode of(ImageReference image, boolean unnamed, boolean saved, PluginConfig config,
            boolean inPlace) {
        boolean direct = unnamed && !saved && (config.useSquashfuse() || inPlace);
        if (image.isSquashfsFile()) {
            return direct ? SQUASHFS_DIRECT : SQUASHFS_CREATE;
        }
        if (config.importer().isPresent()) {
            return direct ? IMPORTER_DIRECT : IMPORTER_CREATE;
        }
        if (unnamed && !saved && inPlace) {
            return IMPORT_DIRECT; // use_squashfuse leaves plain registry imports to create, as in pyxis
        }
        if (config.useEnrootLoad() && !image.fromDockerDaemon()) {
            return LOAD;
        }
        return IMPORT_CREATE;
    }

    /** Whether the image comes from a registry (and the "importing docker image" messages apply). */
    public boolean fromRegistry() {
        return this == IMPORT_CREATE || this == IMPORT_DIRECT || this == LOAD || this == IMPORTER_CREATE
                || this == IMPORTER_DIRECT;
    }

    /** Whether the container runs straight from a squashfs file, without a root filesystem of its own. */
    public boolean directStart() {
        return this == SQUASHFS_DIRECT || this == IMPORT_DIRECT || this == IMPORTER_DIRECT;
    }

    /**
     * Whether the runtime's {@code import} writes a squashfs file: into the user's image cache, or (without it) a file
     * of the step's own, deleted at step end.
     */
    public boolean importsToFile() {
        return this == IMPORT_CREATE || this == IMPORT_DIRECT;
    }

    public boolean usesImporter() {
        return this == IMPORTER_CREATE || this == IMPORTER_DIRECT;
    }
}
