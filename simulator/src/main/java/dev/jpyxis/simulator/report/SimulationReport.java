package dev.jpyxis.simulator.report;

import dev.jpyxis.simulator.cases.CaseRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one run of a scenario showed: per action what the user saw and which expectations failed, per node the
 * timeline of what the plugin did and the final state.
 *
 * @param cases what the actions playing a multi-node e2e case did, in the form the real cluster's records take
 */
public record SimulationReport(String file, String description, long seed, List<ActionReport> actions,
        List<NodeReport> nodes, List<CaseRecord> cases) {

    /**
     * One action: what it was, what it printed, how it ended.
     *
     * @param failures the expectations after this action that did not hold, as "what: expected ..., got ..."
     */
    public record ActionReport(int line, String kind, String user, String commandLine, Integer exit,
            List<String> stdout, List<String> stderr, List<String> failures) {
    }

    /** One node at the end: the timeline, the containers left on its disk and what its runtime ran, in all. */
    public record NodeReport(String name, List<TimelineEvent> timeline, List<String> containers,
            Map<String, Integer> runtimeCommands) {
    }

    /** The first expectation that failed, as {@code file:line: text}. */
    public Optional<String> firstFailure() {
        for (ActionReport action : actions) {
            if (!action.failures().isEmpty()) {
                return Optional.of(file + ":" + action.line() + ": " + action.failures().get(0));
            }
        }
        return Optional.empty();
    }

    public boolean passed() {
        return firstFailure().isEmpty();
    }
}
