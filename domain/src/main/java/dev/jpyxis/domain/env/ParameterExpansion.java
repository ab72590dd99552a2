package dev.jpyxis.domain.env;

/**
 * The part of bash's expansion inside double quotes that pyxis's start script gives mount paths: {@code $NAME} and
 * {@code ${NAME}} become the variable's value in an environment, or nothing when it is unset. For runtimes without a
 * start script (Charliecloud), so that {@code --container-mounts=/scratch:/scratch/$USER} means the same on both
 * (docs/runtimes.md#charliecloud-runtimecharliecloud). Command substitution is never performed: no shell runs.
 */
public final class ParameterExpansion {

    private ParameterExpansion() {
    }

    public static String expand(String text, Environment environment) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$' || i + 1 >= text.length()) {
                out.append(c);
                i++;
                continue;
            }
            if (text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i + 2);
                String name = close < 0 ? "" : text.substring(i + 2, close);
                if (isName(name)) {
                    out.append(environment.get(name).orElse(""));
                    i = close + 1;
                    continue;
                }
                out.append(c);
                i++;
                continue;
            }
            int end = i + 1;
            while (end < text.length() && isNameChar(text.charAt(end), end == i + 1)) {
                end++;
            }
            if (end == i + 1) {
                out.append(c);
                i++;
                continue;
            }
            out.append(environment.get(text.substring(i + 1, end)).orElse(""));
            i = end;
        }
        return out.toString();
    }

    private static boolean isName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int k = 0; k < name.length(); k++) {
            if (!isNameChar(name.charAt(k), k == 0)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameChar(char c, boolean first) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
    }
}
