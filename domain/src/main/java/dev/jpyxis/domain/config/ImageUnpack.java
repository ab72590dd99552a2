package dev.jpyxis.domain.config;

import java.util.Arrays;
import java.util.Optional;

/** When a container's image is unpacked into a root filesystem of its own, rather than started from its squashfs file. */
public enum ImageUnpack {
    /**
     * Only when the container needs one: a named or saved container, an explicitly writable one, or a node that cannot
     * start squashfs files (no squashfuse, no {@code /dev/fuse}). Every other step starts from the image in place.
     */
    AUTO("auto"),
    /** For every container, as pyxis does (unless {@code use_squashfuse}). */
    ALWAYS("always");

    private final String keyword;

    ImageUnpack(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<ImageUnpack> byKeyword(String keyword) {
        return Arrays.stream(values()).filter(mode -> mode.keyword.equals(keyword)).findFirst();
    }
}
