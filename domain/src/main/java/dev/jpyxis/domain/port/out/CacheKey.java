package dev.jpyxis.domain.port.out;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What names an image in the cache: its content's digest, and the runtime whose import made the squashfs file (an
 * enroot image and a Charliecloud one of the same digest are different files). Only a well-formed digest ever names a
 * file.
 */
public record CacheKey(String runtime, String digest) {

    private static final Pattern RUNTIME = Pattern.compile("[a-z0-9]{1,32}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+:[a-f0-9]{32,128}");

    public CacheKey {
        if (!RUNTIME.matcher(runtime).matches() || !DIGEST.matcher(digest).matches()
                || digest.indexOf(':') > 16) {
            throw new IllegalArgumentException("not a cache key: " + runtime + " " + digest);
        }
    }

    /** The key, or empty when the digest is not {@code algorithm:hex} (or the runtime's name is odd). */
    public static Optional<CacheKey> of(String runtime, String digest) {
        try {
            return Optional.of(new CacheKey(runtime, digest));
        } catch (IllegalArgumentException malformed) {
            return Optional.empty();
        }
    }

    /** {@code sha256} of {@code sha256:0123...}. */
    public String algorithm() {
        return digest.substring(0, digest.indexOf(':'));
    }

    /** The hexadecimal part of the digest. */
    public String hex() {
        return digest.substring(digest.indexOf(':') + 1);
    }
}
