package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.internal.option.MountEntry;
import java.util.Objects;

/**
 * A mount as the runtime receives it: source, target and complete options, one fstab-style line each.
 */
public record FstabEntry(String source, String target, String options) {

    public FstabEntry {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(options, "options");
    }

    public static FstabEntry of(MountEntry mount) {
        return new FstabEntry(mount.source(), mount.target(), mount.flags());
    }

    /**
     * The line {@code SOURCE TARGET OPTIONS}, with space, tab, newline and backslash in source and target escaped as
     * fstab does ({@code \040 \011 \012 \134}); options are not escaped.
     */
    public String line() {
        return escape(source) + " " + escape(target) + " " + options;
    }

    static String escape(String field) {
        StringBuilder escaped = new StringBuilder(field.length());
        for (char c : field.toCharArray()) {
            switch (c) {
                case ' ' -> escaped.append("\\040");
                case '\t' -> escaped.append("\\011");
                case '\n' -> escaped.append("\\012");
                case '\\' -> escaped.append("\\134");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
