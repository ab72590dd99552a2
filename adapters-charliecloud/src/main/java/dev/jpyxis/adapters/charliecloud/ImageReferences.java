package dev.jpyxis.adapters.charliecloud;

import dev.jpyxis.domain.message.PyxisException;

/**
 * Translates the enroot-style references pyxis users write ({@code docker://[USER@][REGISTRY#]IMAGE[:TAG]}) into
 * {@code ch-image} references ({@code [REGISTRY/]IMAGE[:TAG]}).
 */
final class ImageReferences {

    private ImageReferences() {
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
