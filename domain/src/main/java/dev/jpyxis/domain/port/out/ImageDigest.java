package dev.jpyxis.domain.port.out;

import java.util.Objects;

/** What asking for an image's digest gave. */
public sealed interface ImageDigest {

    /** The digest as the registry or daemon gave it, unchecked ({@link CacheKey} checks it). */
    record Known(String digest) implements ImageDigest {
        public Known {
            Objects.requireNonNull(digest, "digest");
        }
    }

    /** No digest could be had (no curl, the registry unreachable, an answer without one), and why. */
    record Unknown(String reason) implements ImageDigest {
        public Unknown {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
