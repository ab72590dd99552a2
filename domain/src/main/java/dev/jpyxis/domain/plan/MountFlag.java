package dev.jpyxis.domain.plan;

/**
 * A flag of {@code mount(2)}, named as the kernel's {@code MS_<name>} constant: the shim's table is generated from
 * these names, so Java and C cannot disagree on which flags exist.
 */
public enum MountFlag {
    RDONLY, NOSUID, NODEV, NOEXEC, SYNCHRONOUS, REMOUNT, MANDLOCK, DIRSYNC, NOATIME, NODIRATIME, BIND, REC, SILENT,
    UNBINDABLE, PRIVATE, SLAVE, SHARED, RELATIME, I_VERSION, STRICTATIME, LAZYTIME;

    /** The propagation types, each of which {@code mount(2)} takes alone. */
    public boolean propagation() {
        return this == UNBINDABLE || this == PRIVATE || this == SLAVE || this == SHARED;
    }
}
