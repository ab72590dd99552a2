package dev.jpyxis.adapters.linux;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A {@code docker://} reference read as enroot reads it ({@code docker::_parse_uri}): enroot's
 * {@code [USER@]REGISTRY#IMAGE[:TAG][@DIGEST]} or Docker's {@code [USER@][REGISTRY/]IMAGE[:TAG][@DIGEST]}, where a
 * first path component is a registry only when it has a dot or a colon; Docker Hub otherwise, with {@code library/}
 * for single names; tag {@code latest} when none is given.
 *
 * @param user      the user named in the reference, if any
 * @param reference the tag, or the digest a reference is pinned to
 */
record RegistryReference(Optional<String> user, String registry, String image, String reference) {

    static final String DOCKER_HUB = "registry-1.docker.io";
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9][a-z0-9/._-]*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9._-][A-Za-z0-9._:-]*");
    private static final Pattern DIGEST = Pattern.compile("sha256:[A-Za-z0-9]+");
    private static final Pattern REGISTRY = Pattern.compile("[A-Za-z0-9.:\\[\\]_-]+");

    /** Empty when the URI is not a {@code docker://} reference enroot would read. */
    static Optional<RegistryReference> parse(String uri) {
        if (!uri.startsWith("docker://")) {
            return Optional.empty();
        }
        String rest = uri.substring("docker://".length());
        String digest = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0 && DIGEST.matcher(rest.substring(at + 1)).matches()) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        Optional<String> user = Optional.empty();
        int hash = rest.indexOf('#');
        int userEnd = rest.lastIndexOf('@', hash >= 0 ? hash : rest.length());
        if (userEnd >= 0) {
            user = Optional.of(rest.substring(0, userEnd));
            rest = rest.substring(userEnd + 1);
            hash = rest.indexOf('#');
        }
        String registry;
        String path;
        if (hash >= 0) {
            registry = rest.substring(0, hash);
            path = rest.substring(hash + 1);
        } else {
            int slash = rest.indexOf('/');
            String first = slash < 0 ? "" : rest.substring(0, slash);
            if (first.contains(".") || first.contains(":")) {
                registry = first;
                path = rest.substring(slash + 1);
            } else {
                registry = DOCKER_HUB;
                path = rest;
            }
        }
        String tag = "latest";
        int colon = path.indexOf(':');
        if (colon >= 0) {
            tag = path.substring(colon + 1);
            path = path.substring(0, colon);
        }
        if (registry.equals("docker.io") || registry.equals("index.docker.io") || registry.equals(DOCKER_HUB)) {
            registry = DOCKER_HUB;
            if (!path.contains("/")) {
                path = "library/" + path;
            }
        }
        if (!REGISTRY.matcher(registry).matches() || !IMAGE.matcher(path).matches() || !TAG.matcher(tag).matches()
                || path.contains("//") || path.endsWith("/")) {
            return Optional.empty();
        }
        return Optional.of(new RegistryReference(user.filter(u -> !u.isEmpty()), registry, path,
                digest != null ? digest : tag));
    }

    /** Whether the reference names its content's digest itself, so that no registry needs asking. */
    boolean pinned() {
        return DIGEST.matcher(reference).matches();
    }

    /** The manifest's URL (HTTPS only, as enroot without {@code ENROOT_ALLOW_HTTP}). */
    String manifestUrl() {
        return "https://" + registry + "/v2/" + image + "/manifests/" + reference;
    }

    /** The registry's host, as credentials files name it ({@code machine} without the port). */
    String host() {
        int colon = registry.lastIndexOf(':');
        return colon > 0 && !registry.endsWith("]") ? registry.substring(0, colon) : registry;
    }
}
