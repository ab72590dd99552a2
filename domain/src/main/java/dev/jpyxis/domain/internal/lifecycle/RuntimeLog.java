package dev.jpyxis.domain.internal.lifecycle;

import java.util.ArrayList;
import java.util.List;

/** How pyxis dumps a failed command's captured output: a header, then each line indented. */
final class RuntimeLog {

    private RuntimeLog() {
    }

    static List<String> lines(String program, List<String> log) {
        List<String> lines = new ArrayList<>(log.size() + 1);
        lines.add("pyxis: printing " + program + " log file:");
        for (String line : log) {
            lines.add("pyxis:     " + line);
        }
        return lines;
    }
}
