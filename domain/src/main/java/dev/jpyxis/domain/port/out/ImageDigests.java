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

    /**
     * Says that the step will soon ask for this image's digest with this invocation: an implementation may begin the
     * query now and answer that {@link #digest} from it. Ignored by default.
     */
    default void digestSoon(RuntimeInvocation invocation, String uri) {
    }
}
