package dev.jpyxis.domain.plan;

/** The namespaces a task may join, in the order it usually joins them. */
public enum NamespaceKind {
    /**
     * The parent of the process's user namespace, where a runtime made the container's user namespace inside the one
     * that owns its unshared namespaces (the shim finds it with {@code NS_GET_PARENT}).
     */
    USER_PARENT("user_parent", "parent user"),
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

    /** The file name under {@code /proc/<pid>/ns/} ({@link #USER_PARENT}: the name the protocol gives it). */
    public String procName() {
        return procName;
    }

    public String description() {
        return description;
    }
}
