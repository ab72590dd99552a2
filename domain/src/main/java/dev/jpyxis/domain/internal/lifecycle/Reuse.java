package dev.jpyxis.domain.internal.lifecycle;

/** What a step takes over from an existing named container. */
public enum Reuse {
    /** Nothing: the root filesystem is created from the image. */
    NONE,
    /** The root filesystem of a container that exists but does not run; fresh namespaces. */
    FILESYSTEM,
    /** The namespaces of a running container (and its root filesystem). */
    NAMESPACES
}
