package dev.jpyxis.dist.doctor;

import java.util.Objects;

/**
 * One finding of {@code jpyxis doctor}: what was checked, how it stands, what was seen and how to fix it.
 *
 * @param name   a short name, stable for monitoring ({@code plugstack}, {@code java}, {@code container}, ...)
 * @param status how it stands
 * @param detail what was seen
 * @param fix    what to do about it; empty when there is nothing to do
 */
public record Check(String name, Status status, String detail, String fix) {

    /** How a check stands; only {@link #FAIL} means a containerised step would not work. */
    public enum Status {
        OK("ok"), WARN("warn"), FAIL("FAIL"), SKIP("skip");

        private final String word;

        Status(String word) {
            this.word = word;
        }

        /** How the text report shows it. */
        public String word() {
            return word;
        }
    }

    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(fix, "fix");
    }

    static Check ok(String name, String detail) {
        return new Check(name, Status.OK, detail, "");
    }

    static Check warn(String name, String detail, String fix) {
        return new Check(name, Status.WARN, detail, fix);
    }

    static Check fail(String name, String detail, String fix) {
        return new Check(name, Status.FAIL, detail, fix);
    }

    static Check skip(String name, String detail, String fix) {
        return new Check(name, Status.SKIP, detail, fix);
    }

    /** One line of tab-separated fields, as doctor run as another user hands its findings back. */
    public String toLine() {
        return String.join("\t", name, status.name(), escape(detail), escape(fix));
    }

    /** The reverse of {@link #toLine}; empty for a line that is not one. */
    public static java.util.Optional<Check> fromLine(String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != 4) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(new Check(fields[0], Status.valueOf(fields[1]), unescape(fields[2]),
                    unescape(fields[3])));
        } catch (IllegalArgumentException notAStatus) {
            return java.util.Optional.empty();
        }
    }

    private static String escape(String text) {
        return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
