package dev.jpyxis.domain.port.out;

/**
 * Which content an image reference names now: a registry's manifest digest for {@code docker://}, the Docker daemon's
 * image id for {@code dockerd://}. Asked as the job user, with what the runtime's own import would use (the
 * invocation's environment: CA bundle, proxies; the user's registry credentials).
 */
public interface ImageDigests {

    /** A node that cannot ask: every image is imported without the cache. */
    ImageDigests NONE = (invocation, uri) -> new ImageDigest.Unknown("no digest query on this node");

    ImageDigest digest(RuntimeInvocation invocation, String uri);
}
