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

    /**
     * A field as the kernel writes it in {@code /proc/<pid>/mountinfo} and fstab: {@code \ooo} (three octal digits)
     * stands for that character (space, tab, newline and backslash are written so); a backslash not followed by three
     * octal digits stands for itself. The inverse of {@link #line()}'s escaping.
     */
    public static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String text, int from) {
        if (from + 3 > text.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '7') {
                return false;
            }
        }
        return true;
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
