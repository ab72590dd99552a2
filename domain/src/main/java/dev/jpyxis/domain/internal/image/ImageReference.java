package dev.jpyxis.domain.internal.image;

import java.util.Objects;

/**
 * The {@code --container-image} value, classified as pyxis does: a squashfs file on the node when it starts with
 * {@code .} or {@code /}, otherwise a registry reference given to the runtime as a URI.
 */
public record ImageReference(String asGiven) {

    public ImageReference {
        Objects.requireNonNull(asGiven, "asGiven");
        if (asGiven.isEmpty()) {
            throw new IllegalArgumentException("an image reference cannot be empty");
        }
    }

    public boolean isSquashfsFile() {
        return asGiven.charAt(0) == '.' || asGiven.charAt(0) == '/';
    }

    /**
     * The URI for the runtime: {@code docker://} and {@code dockerd://} references verbatim, anything else with
     * {@code docker://} in front (so {@code podman://x} becomes {@code docker://podman://x}, as in pyxis).
     */
    public String uri() {
        if (asGiven.startsWith("docker://") || asGiven.startsWith("dockerd://")) {
            return asGiven;
        }
        return "docker://" + asGiven;
    }

    /** Images from the local Docker daemon cannot be loaded directly. */
    public boolean fromDockerDaemon() {
        return asGiven.startsWith("dockerd://");
    }

    @Override
    public String toString() {
        return asGiven;
    }
}
