package dev.jpyxis.simulator.cases;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads {@code multinode-cases.jsonl}: one JSON object per line, as e2e/tests/lib.sh's {@code record_case} writes
 * them. Keys the comparison does not use (the node logs, timings) are read past.
 */
public final class CaseRecords {

    private CaseRecords() {
    }

    /** A line that is not a case record, named by its file and line. */
    public static final class MalformedRecordException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        MalformedRecordException(String file, int line, String what) {
            super(file + ":" + line + ": " + what);
        }
    }

    /** The records of a file's text, in order; blank lines are skipped. */
    public static List<CaseRecord> parse(String file, String text) {
        List<CaseRecord> records = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                records.add(record(lines[i]));
            } catch (YamlEngineException | IllegalArgumentException | ClassCastException bad) {
                throw new MalformedRecordException(file, i + 1, "expected a case record (a JSON object with case,"
                        + " runtime, exit, jobs, starts, leftovers_removed, containers_before, containers_after,"
                        + " stderr, work_dir): " + bad.getMessage());
            }
        }
        return records;
    }

    private static CaseRecord record(String line) {
        // JSON is YAML 1.2: the YAML reader the scenarios use reads it
        Object parsed = new Load(LoadSettings.builder().build()).loadFromString(line);
        if (!(parsed instanceof Map<?, ?> fields)) {
            throw new IllegalArgumentException("not an object");
        }
        Object exit = fields.get("exit");
        List<Long> jobs = new ArrayList<>();
        for (Object job : list(fields, "jobs")) {
            jobs.add(((Number) job).longValue());
        }
        return new CaseRecord(text(fields, "case"), text(fields, "runtime"),
                exit instanceof Number number ? Integer.valueOf(number.intValue()) : null, jobs,
                counts(fields, "starts"), counts(fields, "leftovers_removed"), names(fields, "containers_before"),
                names(fields, "containers_after"), list(fields, "stderr").stream().map(String::valueOf).toList(),
                fields.get("work_dir") == null ? "" : String.valueOf(fields.get("work_dir")));
    }

    private static String text(Map<?, ?> fields, String key) {
        Object value = fields.get(key);
        if (!(value instanceof String text)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not text");
        }
        return text;
    }

    private static List<?> list(Map<?, ?> fields, String key) {
        Object value = fields.get(key);
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not a list");
        }
        return list;
    }

    private static Map<?, ?> map(Map<?, ?> fields, String key) {
        Object value = fields.get(key);
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("'" + key + "' is missing or not an object");
        }
        return map;
    }

    private static Map<String, Integer> counts(Map<?, ?> fields, String key) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        map(fields, key).forEach((node, count) -> counts.put(String.valueOf(node), ((Number) count).intValue()));
        return counts;
    }

    private static Map<String, List<String>> names(Map<?, ?> fields, String key) {
        Map<String, List<String>> names = new LinkedHashMap<>();
        map(fields, key).forEach((node, list) -> names.put(String.valueOf(node),
                ((List<?>) list).stream().map(String::valueOf).toList()));
        return names;
    }
}
