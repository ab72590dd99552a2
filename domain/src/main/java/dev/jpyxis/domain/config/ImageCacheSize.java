package dev.jpyxis.domain.config;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The most one user's image cache may take on a node ({@code image_cache_size}): a size in bytes, or a share of the
 * file system the cache lives on.
 */
public sealed interface ImageCacheSize {

    /** The limit in bytes on a file system of {@code fileSystemBytes}. */
    long bytesOn(long fileSystemBytes);

    /** {@code 800M}, {@code 50G}: binary units (K, M, G, T), or plain bytes. */
    record Bytes(long bytes) implements ImageCacheSize {
        public Bytes {
            if (bytes <= 0) {
                throw new IllegalArgumentException("a cache size must be positive: " + bytes);
            }
        }

        @Override
        public long bytesOn(long fileSystemBytes) {
            return bytes;
        }
    }

    /** {@code 25%}: a share of the cache's file system, 1 to 100 percent. */
    record Share(int percent) implements ImageCacheSize {
        public Share {
            if (percent < 1 || percent > 100) {
                throw new IllegalArgumentException("a share must be 1 to 100 percent: " + percent);
            }
        }

        @Override
        public long bytesOn(long fileSystemBytes) {
            return fileSystemBytes / 100 * percent;
        }
    }

    Pattern GRAMMAR = Pattern.compile("([0-9]{1,15})([KMGT%]?)");

    /** Reads {@code 50G}, {@code 800M}, {@code 1073741824} or {@code 25%}; empty for anything else. */
    static Optional<ImageCacheSize> parse(String text) {
        Matcher matcher = GRAMMAR.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        long number = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2);
        if (unit.equals("%")) {
            return number >= 1 && number <= 100 ? Optional.of(new Share((int) number)) : Optional.empty();
        }
        int shift = switch (unit) {
            case "K" -> 10;
            case "M" -> 20;
            case "G" -> 30;
            case "T" -> 40;
            default -> 0;
        };
        if (number == 0 || number > Long.MAX_VALUE >> shift) {
            return Optional.empty();
        }
        return Optional.of(new Bytes(number << shift));
    }
}
