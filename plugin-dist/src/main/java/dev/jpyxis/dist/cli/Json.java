package dev.jpyxis.dist.cli;

import dev.jpyxis.simulator.report.JsonReport;
import java.util.List;
import java.util.Map;

/** Writes maps, lists, strings, numbers, booleans and nulls as JSON text, for the tool's {@code --json} outputs. */
final class Json {

    private Json() {
    }

    static String write(Object value) {
        StringBuilder json = new StringBuilder();
        value(json, value);
        return json.toString();
    }

    private static void value(StringBuilder json, Object value) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof String text) {
            string(json, text);
        } else if (value instanceof Number || value instanceof Boolean) {
            json.append(value);
        } else if (value instanceof Map<?, ?> map) {
            json.append('{');
            String separator = "";
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                json.append(separator);
                string(json, entry.getKey().toString());
                json.append(':');
                value(json, entry.getValue());
                separator = ",";
            }
            json.append('}');
        } else if (value instanceof List<?> list) {
            json.append('[');
            for (int i = 0; i < list.size(); i++) {
                json.append(i == 0 ? "" : ",");
                value(json, list.get(i));
            }
            json.append(']');
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass());
        }
    }

    private static void string(StringBuilder json, String value) {
        JsonReport.appendString(json, value);
    }
}
