package dev.jpyxis.domain.internal.option;

import java.util.Objects;

/**
 * One mount requested with {@code --container-mounts}: source, target and the user's own flags
 * ({@code +} already turned into {@code ,}). Pyxis's default flags for the source kind always come first.
 * Two entries are equal exactly when source, target and final flags agree (the kind follows from the source).
 */
public record MountEntry(String source, String target, MountSource kind, String userFlags) {

    public MountEntry {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(userFlags, "userFlags");
    }

    /** The complete mount options: defaults first, then the user's flags. */
    public String flags() {
        return userFlags.isEmpty() ? kind.defaultFlags() : kind.defaultFlags() + "," + userFlags;
    }

    /** Whether the source is a path on the node (as opposed to {@code tmpfs} or {@code umount}). */
    public boolean sourceIsPath() {
        return kind == MountSource.PATH;
    }

    /** The {@code --container-mounts} entry that reproduces this mount. */
    public String argument() {
        return userFlags.isEmpty() ? source + ":" + target : source + ":" + target + ":" + userFlags.replace(',', '+');
    }
}
