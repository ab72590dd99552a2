package dev.jpyxis.domain.plan;

/** The namespaces a task may join, in the order it usually joins them. */
public enum NamespaceKind {
    USER("user", "user"),
    CGROUP("cgroup", "cgroup"),
    MNT("mnt", "mount"),
    IPC("ipc", "IPC"),
    UTS("uts", "UTS"),
    NET("net", "network");

    private final String procName;
    private final String description;

    NamespaceKind(String procName, String description) {
        this.procName = procName;
        this.description = description;
    }

    /** The file name under {@code /proc/<pid>/ns/}. */
    public String procName() {
        return procName;
    }

    public String description() {
        return description;
    }
}
