package dev.jpyxis.simulator.report;

import dev.jpyxis.simulator.report.SimulationReport.ActionReport;
import dev.jpyxis.simulator.report.SimulationReport.NodeReport;
import java.util.List;

/** The readable form of a report: the actions with their output, each node's timeline, the final state, a verdict. */
public final class TextReport {

    private TextReport() {
    }

    public static String render(SimulationReport report) {
        StringBuilder text = new StringBuilder();
        text.append("scenario ").append(report.file()).append(" (seed ").append(report.seed()).append(")\n");
        if (!report.description().isBlank()) {
            report.description().strip().lines().forEach(line -> text.append("  ").append(line).append('\n'));
        }
        text.append("\nactions\n");
        for (ActionReport action : report.actions()) {
            text.append("  line ").append(action.line()).append(": ").append(action.kind());
            if (action.user() != null) {
                text.append(" (").append(action.user()).append(")");
            }
            if (!action.commandLine().isEmpty()) {
                text.append(" ").append(action.commandLine().strip().replace("\n", "\n      "));
            }
            text.append('\n');
            lines(text, "out | ", action.stdout());
            lines(text, "err | ", action.stderr());
            if (action.exit() != null) {
                text.append("    exit ").append(action.exit()).append('\n');
            }
            for (String failure : action.failures()) {
                text.append("    EXPECTATION FAILED: ").append(failure).append('\n');
            }
        }
        for (NodeReport node : report.nodes()) {
            text.append("\nnode ").append(node.name()).append('\n');
            lines(text, "", node.timeline().stream().map(TimelineEvent::line).toList());
            text.append("    final: containers ").append(node.containers().isEmpty() ? "none"
                    : String.join(", ", node.containers()));
            text.append("; runtime commands ").append(node.runtimeCommands().isEmpty() ? "none"
                    : node.runtimeCommands().toString().replaceAll("[{}]", "")).append('\n');
        }
        text.append('\n').append(report.firstFailure().map(failure -> "FAILED " + failure)
                .orElse("PASSED " + report.file() + " (" + report.actions().size() + " actions)")).append('\n');
        return text.toString();
    }

    private static void lines(StringBuilder text, String prefix, List<String> lines) {
        for (String line : lines) {
            text.append("    ").append(prefix).append(line).append('\n');
        }
    }
}
