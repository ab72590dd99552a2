package dev.jpyxis.adapters.charliecloud;

import dev.jpyxis.domain.message.PyxisException;

/**
 * Translates the enroot-style references pyxis users write ({@code docker://[USER@][REGISTRY#]IMAGE[:TAG]}) into
 * {@code ch-image} references ({@code [REGISTRY/]IMAGE[:TAG]}).
 */
final class ImageReferences {

    private ImageReferences() {
    }

    /**
     * The user an image reference names ({@code docker://USER@...}), whose login enroot then looks up, and its
     * registry's host without the port ({@code registry-1.docker.io} for Docker Hub, as enroot names it).
     */
    record Login(String user, String host) {
    }

    static java.util.Optional<Login> login(String uri) {
        String reference = uri.startsWith("docker://") ? uri.substring("docker://".length()) : uri;
        int at = reference.indexOf('@');
        int hash = reference.indexOf('#');
        if (at <= 0 || hash >= 0 && at > hash || reference.substring(at).startsWith("@sha256:")) {
            return java.util.Optional.empty();
        }
        String user = reference.substring(0, at);
        String rest = forChImage("docker://" + reference.substring(at + 1));
        int slash = rest.indexOf('/');
        String first = slash < 0 ? "" : rest.substring(0, slash);
        String host = first.contains(".") || first.contains(":") || first.equals("localhost") ? first
                : "registry-1.docker.io";
        int colon = host.lastIndexOf(':');
        return java.util.Optional.of(new Login(user, colon < 0 ? host : host.substring(0, colon)));
    }

    static String forChImage(String uri) {
        if (!uri.startsWith("docker://")) {
            throw new PyxisException("pyxis: --container-image: " + uri + " cannot be pulled by ch-image");
        }
        String reference = uri.substring("docker://".length());
        int at = reference.indexOf('@');
        int hash = reference.indexOf('#');
        if (at >= 0 && (hash < 0 || at < hash) && !reference.substring(at).startsWith("@sha256:")) {
            reference = reference.substring(at + 1); // credentials are the user's enroot configuration, not ours
            hash = reference.indexOf('#');
        }
        if (hash >= 0) {
            reference = reference.substring(0, hash) + "/" + reference.substring(hash + 1);
        }
        if (reference.isEmpty()) {
            throw new PyxisException("pyxis: --container-image: empty image reference");
        }
        return reference;
    }
}
