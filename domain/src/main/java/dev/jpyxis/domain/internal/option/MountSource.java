package dev.jpyxis.domain.internal.option;

/** What the source field of a {@code --container-mounts} entry denotes. */
public enum MountSource {
    /** An absolute or relative path on the node: bind-mounted. */
    PATH("x-create=auto,rbind"),
    /** The literal {@code tmpfs}: a fresh tmpfs. */
    TMPFS("x-create=dir"),
    /** The literal {@code umount}: detach whatever is mounted at the target. */
    UMOUNT("x-detach");

    private final String defaultFlags;

    MountSource(String defaultFlags) {
        this.defaultFlags = defaultFlags;
    }

    /** The mount options always placed first, before the user's own flags. */
    public String defaultFlags() {
        return defaultFlags;
    }

    /** Classifies a source as pyxis does, by its first character; {@code null} when it is none of these. */
    static MountSource classify(String source) {
        if (PathText.isPathLike(source)) {
            return PATH;
        }
        if (source.equals("tmpfs")) {
            return TMPFS;
        }
        if (source.equals("umount")) {
            return UMOUNT;
        }
        return null;
    }
}
