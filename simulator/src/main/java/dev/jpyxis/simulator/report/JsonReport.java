package dev.jpyxis.simulator.report;

import dev.jpyxis.simulator.cases.CaseRecord;
import dev.jpyxis.simulator.report.SimulationReport.ActionReport;
import dev.jpyxis.simulator.report.SimulationReport.NodeReport;
import java.util.List;
import java.util.Map;

/** The same report as JSON, for tools: one object per scenario run. */
public final class JsonReport {

    private final StringBuilder json = new StringBuilder();

    private JsonReport() {
    }

    public static String render(SimulationReport report) {
        return new JsonReport().report(report).json.toString();
    }

    /** Several runs as one JSON array. */
    public static String render(List<SimulationReport> reports) {
        JsonReport writer = new JsonReport();
        writer.json.append('[');
        for (int i = 0; i < reports.size(); i++) {
            writer.json.append(i == 0 ? "" : ",");
            writer.report(reports.get(i));
        }
        writer.json.append(']');
        return writer.json.toString();
    }

    private JsonReport report(SimulationReport report) {
        json.append('{');
        field("file").string(report.file()).comma();
        field("description").string(report.description().strip()).comma();
        field("seed").append(Long.toString(report.seed())).comma();
        field("passed").append(Boolean.toString(report.passed())).comma();
        field("first_failure");
        report.firstFailure().ifPresentOrElse(this::string, () -> append("null"));
        comma().field("actions").append("[");
        for (int i = 0; i < report.actions().size(); i++) {
            append(i == 0 ? "" : ",").action(report.actions().get(i));
        }
        append("]").comma().field("nodes").append("[");
        for (int i = 0; i < report.nodes().size(); i++) {
            append(i == 0 ? "" : ",").node(report.nodes().get(i));
        }
        append("]").comma().field("cases").append("[");
        for (int i = 0; i < report.cases().size(); i++) {
            append(i == 0 ? "" : ",").caseRecord(report.cases().get(i));
        }
        return append("]}");
    }

    /** A case's record, with the keys of the real cluster's (docs/e2e.md#case-records), so the same reader reads both. */
    private JsonReport caseRecord(CaseRecord record) {
        append("{").field("case").string(record.caseName()).comma();
        field("runtime").string(record.runtime()).comma();
        field("exit").append(record.exit() == null ? "null" : record.exit().toString()).comma();
        field("jobs").append(record.jobs().toString().replace(" ", "")).comma();
        field("starts").counts(record.starts()).comma();
        field("leftovers_removed").counts(record.leftoversRemoved()).comma();
        field("containers_before").names(record.containersBefore()).comma();
        field("containers_after").names(record.containersAfter()).comma();
        field("stderr").strings(record.stderr()).comma();
        return field("work_dir").string(record.workDir()).append("}");
    }

    private JsonReport counts(Map<String, Integer> perNode) {
        append("{");
        int i = 0;
        for (Map.Entry<String, Integer> count : new java.util.TreeMap<>(perNode).entrySet()) {
            append(i++ == 0 ? "" : ",").field(count.getKey()).append(count.getValue().toString());
        }
        return append("}");
    }

    private JsonReport names(Map<String, List<String>> perNode) {
        append("{");
        int i = 0;
        for (Map.Entry<String, List<String>> names : new java.util.TreeMap<>(perNode).entrySet()) {
            append(i++ == 0 ? "" : ",").field(names.getKey()).strings(names.getValue());
        }
        return append("}");
    }

    private JsonReport action(ActionReport action) {
        append("{").field("line").append(Integer.toString(action.line())).comma();
        field("kind").string(action.kind()).comma();
        field("user");
        if (action.user() == null) {
            append("null");
        } else {
            string(action.user());
        }
        comma().field("command").string(action.commandLine()).comma();
        field("exit").append(action.exit() == null ? "null" : action.exit().toString()).comma();
        field("stdout").strings(action.stdout()).comma();
        field("stderr").strings(action.stderr()).comma();
        return field("failed_expectations").strings(action.failures()).append("}");
    }

    private JsonReport node(NodeReport node) {
        append("{").field("name").string(node.name()).comma();
        field("timeline").append("[");
        for (int i = 0; i < node.timeline().size(); i++) {
            append(i == 0 ? "" : ",").event(node.timeline().get(i));
        }
        append("]").comma();
        field("containers").strings(node.containers()).comma();
        field("runtime_commands").append("{");
        int i = 0;
        for (Map.Entry<String, Integer> count : node.runtimeCommands().entrySet()) {
            append(i++ == 0 ? "" : ",").field(count.getKey()).append(count.getValue().toString());
        }
        return append("}}");
    }

    private JsonReport event(TimelineEvent event) {
        append("{").field("sequence").append(Long.toString(event.sequence())).comma();
        field("step").nullable(event.step()).comma();
        field("task").append(event.task() == null ? "null" : event.task().toString()).comma();
        field("event").string(event.kind().keyword()).comma();
        field("level").nullable(event.level()).comma();
        return field("text").string(event.text()).append("}");
    }

    private JsonReport nullable(String value) {
        return value == null ? append("null") : string(value);
    }

    private JsonReport strings(List<String> values) {
        append("[");
        for (int i = 0; i < values.size(); i++) {
            append(i == 0 ? "" : ",").string(values.get(i));
        }
        return append("]");
    }

    private JsonReport field(String name) {
        return string(name).append(":");
    }

    private JsonReport comma() {
        return append(",");
    }

    private JsonReport append(String text) {
        json.append(text);
        return this;
    }

    private JsonReport string(String value) {
        appendString(json, value);
        return this;
    }

    /** Appends {@code value} as a JSON string: quoted, with {@code "}, {@code \\} and control characters escaped. */
    public static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
