package dev.jpyxis.simulator.report;

import dev.jpyxis.simulator.report.SimulationReport.NodeReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A picture of runs, for docs and reviews: per node, the steps, one line per task (its arrival, the container's start,
 * joins, releases, failures), the runtime's commands and pyxis's messages, all along one axis of events shared by the
 * nodes of a run. Every mark carries its event's words as a tooltip. Plain SVG text, no library.
 */
public final class SvgReport {

    private static final int LEFT = 120;
    private static final int ROW = 18;
    private static final int WIDTH_BUDGET = 1400;

    private final StringBuilder svg = new StringBuilder();
    private int y;
    private int width = LEFT + 400;

    private SvgReport() {
    }

    public static String render(List<SimulationReport> reports) {
        SvgReport picture = new SvgReport();
        StringBuilder body = new StringBuilder();
        picture.y = 10;
        for (SimulationReport report : reports) {
            picture.run(report);
        }
        picture.legend();
        body.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(picture.width + 20)
                .append("\" height=\"").append(picture.y + 10).append("\" font-family=\"monospace\" font-size=\"11\">\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n").append(picture.svg).append("</svg>\n");
        return body.toString();
    }

    private void run(SimulationReport report) {
        long first = Long.MAX_VALUE;
        long last = 0;
        for (NodeReport node : report.nodes()) {
            for (TimelineEvent event : node.timeline()) {
                first = Math.min(first, event.sequence());
                last = Math.max(last, event.sequence());
            }
        }
        if (first == Long.MAX_VALUE) {
            first = 0;
        }
        double dx = Math.max(3, Math.min(18, (double) WIDTH_BUDGET / (last - first + 1)));
        width = Math.max(width, LEFT + (int) Math.ceil((last - first + 1) * dx) + 20);
        y += 16;
        text(10, y, (report.passed() ? "PASSED " : "FAILED ") + report.file() + " (seed " + report.seed() + ")", "bold",
                report.passed() ? "#1a7f37" : "#cf222e");
        y += 8;
        for (NodeReport node : report.nodes()) {
            node(node, first, dx);
        }
        y += 10;
    }

    private void node(NodeReport node, long first, double dx) {
        TreeSet<Integer> tasks = new TreeSet<>();
        node.timeline().stream().filter(event -> event.task() != null).forEach(event -> tasks.add(event.task()));
        List<String> rows = new ArrayList<>(List.of("steps"));
        tasks.forEach(task -> rows.add("task " + task));
        rows.addAll(List.of("runtime", "messages"));
        int top = y + 14;
        text(10, top - 2, "node " + node.name(), "bold", "#24292f");
        int bandHeight = rows.size() * ROW + 4;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#f6f8fa\""
                + " stroke=\"#d0d7de\"/>%n", LEFT - 4, top, width - LEFT + 4, bandHeight));
        for (int r = 0; r < rows.size(); r++) {
            text(16, rowY(top, r) + 4, rows.get(r), "normal", "#57606a");
        }
        steps(node, top, first, dx);
        for (TimelineEvent event : node.timeline()) {
            double x = LEFT + (event.sequence() - first) * dx + dx / 2;
            String title = event.line();
            switch (event.kind()) {
                case TASK_INIT -> mark(x, rowY(top, rows.indexOf("task " + event.task())), "tick", "#57606a", title);
                case CONTAINER_STARTED -> mark(x, rowY(top, rows.indexOf("task " + event.task())), "circle", "#1a7f37",
                        title);
                case JOINED -> mark(x, rowY(top, rows.indexOf("task " + event.task())), "diamond", "#0969da", title);
                case RELEASED -> mark(x, rowY(top, rows.indexOf("task " + event.task())), "square", "#8c959f", title);
                case CONTAINER_NOT_STARTED, TASK_FAILED, TASK_DIED -> mark(x, rowY(top,
                        rows.indexOf("task " + event.task())), "cross", "#cf222e", title);
                case RUNTIME_COMMAND -> runtime(x, rowY(top, rows.indexOf("runtime")), event, dx);
                case MESSAGE -> mark(x, rowY(top, rows.indexOf("messages")), "dot", messageColour(event.level()),
                        title);
                case NODE_CRASHED, SLURMSTEPD_KILLED, EPILOG_FAILED -> svg.append(String.format(Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#cf222e\" stroke-width=\"2\"><title>%s"
                                + "</title></line>%n", x, top, x, top + bandHeight, escape(title)));
                default -> { }
            }
        }
        y = top + bandHeight + 6;
    }

    /** Each step a span on the steps row, each task a line from its arrival to its last event in the step. */
    private void steps(NodeReport node, int top, long first, double dx) {
        Map<String, long[]> spans = new LinkedHashMap<>();
        Map<String, long[]> taskSpans = new LinkedHashMap<>();
        for (TimelineEvent event : node.timeline()) {
            if (event.step() == null || !event.step().contains(".")) {
                continue;
            }
            spans.computeIfAbsent(event.step(), k -> new long[] {event.sequence(), event.sequence()})[1] =
                    event.sequence();
            if (event.task() != null) {
                taskSpans.computeIfAbsent(event.step() + " " + event.task(),
                        k -> new long[] {event.sequence(), event.sequence()})[1] = event.sequence();
            }
        }
        int palette = 0;
        for (Map.Entry<String, long[]> span : spans.entrySet()) {
            double x = LEFT + (span.getValue()[0] - first) * dx;
            double w = Math.max(dx, (span.getValue()[1] - span.getValue()[0] + 1) * dx);
            String colour = palette++ % 2 == 0 ? "#ddf4ff" : "#fff8c5";
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\""
                    + " stroke=\"#8c959f\"><title>step %s</title></rect>%n", x, rowY(top, 0) - 6, w, 12, colour,
                    escape(span.getKey())));
            text((int) x + 2, rowY(top, 0) + 4, span.getKey(), "normal", "#24292f");
        }
        for (Map.Entry<String, long[]> span : taskSpans.entrySet()) {
            int task = Integer.parseInt(span.getKey().substring(span.getKey().indexOf(' ') + 1));
            int rowY = rowY(top, 1 + new ArrayList<>(new TreeSet<>(node.timeline().stream()
                    .filter(event -> event.task() != null).map(TimelineEvent::task).toList())).indexOf(task));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#8c959f\""
                    + " stroke-width=\"2\"/>%n", LEFT + (span.getValue()[0] - first) * dx + dx / 2, rowY,
                    LEFT + (span.getValue()[1] - first) * dx + dx / 2, rowY));
        }
    }

    private void runtime(double x, int rowY, TimelineEvent event, double dx) {
        String verb = event.text().replaceFirst("^(runtime|importer): ", "").split(" ")[0];
        String colour = switch (verb) {
            case "import", "load", "get" -> "#fb8f44";
            case "create" -> "#d4a72c";
            case "start" -> "#1a7f37";
            case "remove", "release" -> "#8250df";
            case "export" -> "#1b7c83";
            default -> "#afb8c1";
        };
        double size = Math.max(6, Math.min(12, dx));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                + "<title>%s</title></rect>%n", x - size / 2, rowY - size / 2, size, size, colour,
                escape(event.line())));
    }

    private void mark(double x, int rowY, String shape, String colour, String title) {
        String t = "<title>" + escape(title) + "</title>";
        switch (shape) {
            case "circle" -> svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"5\" fill=\"%s\">%s"
                    + "</circle>%n", x, rowY, colour, t));
            case "dot" -> svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%d\" r=\"3\" fill=\"%s\">%s"
                    + "</circle>%n", x, rowY, colour, t));
            case "diamond" -> svg.append(String.format(Locale.ROOT, "<path d=\"M %.1f %d l 5 5 l -5 5 l -5 -5 z\""
                    + " fill=\"%s\">%s</path>%n", x, rowY - 5, colour, t));
            case "square" -> svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"8\" height=\"8\""
                    + " fill=\"%s\">%s</rect>%n", x - 4, rowY - 4, colour, t));
            case "cross" -> svg.append(String.format(Locale.ROOT, "<path d=\"M %.1f %d l 10 10 m 0 -10 l -10 10\""
                    + " stroke=\"%s\" stroke-width=\"2.5\">%s</path>%n", x - 5, rowY - 5, colour, t));
            default -> svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\""
                    + " stroke=\"%s\" stroke-width=\"2\">%s</line>%n", x, rowY - 6, x, rowY + 6, colour, t));
        }
    }

    private static String messageColour(String level) {
        return switch (level == null ? "" : level) {
            case "error" -> "#cf222e";
            case "user" -> "#24292f";
            case "info" -> "#57606a";
            default -> "#afb8c1";
        };
    }

    private void legend() {
        y += 10;
        int x = LEFT;
        Object[][] entries = {{"tick", "#57606a", "task_init"}, {"circle", "#1a7f37", "container started"},
            {"diamond", "#0969da", "joined"}, {"square", "#8c959f", "released"}, {"cross", "#cf222e", "failure"},
            {"dot", "#cf222e", "error message"}};
        for (Object[] entry : entries) {
            mark(x, y, (String) entry[0], (String) entry[1], (String) entry[2]);
            text(x + 10, y + 4, (String) entry[2], "normal", "#24292f");
            x += 30 + 7 * ((String) entry[2]).length();
        }
        y += 18;
        x = LEFT;
        String[][] commands = {{"#fb8f44", "import"}, {"#d4a72c", "create"}, {"#1a7f37", "start"},
            {"#8250df", "remove"}, {"#1b7c83", "export"}, {"#afb8c1", "list"}};
        for (String[] command : commands) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>%n",
                    x - 5, y - 5, command[0]));
            text(x + 10, y + 4, "runtime " + command[1], "normal", "#24292f");
            x += 30 + 7 * (8 + command[1].length());
        }
        y += 12;
        width = Math.max(width, x);
    }

    private static int rowY(int top, int row) {
        return top + row * ROW + ROW / 2 + 2;
    }

    private void text(int x, int baseline, String text, String weight, String colour) {
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-weight=\"%s\" fill=\"%s\">%s</text>%n", x,
                baseline, weight, colour, escape(text)));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
