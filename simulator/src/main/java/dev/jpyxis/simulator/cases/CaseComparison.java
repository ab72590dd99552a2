package dev.jpyxis.simulator.cases;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares what the real cluster did in each multi-node case with what the simulator says for the scenario action
 * playing it, aspect by aspect ({@link Aspect}), after normalising both the same way ({@link CaseSummary}). A
 * difference listed in the inherent differences is reported with its reason, never hidden.
 *
 * @param differences what disagrees, one line each, ready to print
 * @param explained   differences an {@link InherentDifference} accounts for, with its reason
 * @param agreed      the cases compared without any difference
 * @param unrecorded  cases a scenario plays that have no real record
 */
public record CaseComparison(List<String> differences, List<String> explained, List<String> agreed,
        List<String> unrecorded) {

    /** Whether a scenario case without a real record is a difference (the golden file) or only noted (a subset run). */
    public enum Coverage { EVERY_SCENARIO_CASE, RECORDED_CASES_ONLY }

    public boolean agrees() {
        return differences.isEmpty();
    }

    /**
     * @param real       the real cluster's records; a case recorded twice counts as its last record
     * @param simulated  the simulator's records of the scenario actions marked with a case
     */
    public static CaseComparison compare(List<CaseRecord> real, List<CaseRecord> simulated,
            List<InherentDifference> inherent, Coverage coverage) {
        Map<String, CaseRecord> realByKey = byKey(real);
        Map<String, CaseRecord> simulatedByKey = new LinkedHashMap<>();
        List<String> differences = new ArrayList<>();
        for (CaseRecord record : simulated) {
            if (simulatedByKey.put(record.key(), record) != null) {
                differences.add(record.key() + ": two scenario actions play this case: keep one");
            }
        }
        List<String> explained = new ArrayList<>();
        List<String> agreed = new ArrayList<>();
        List<String> unrecorded = new ArrayList<>();
        for (CaseRecord record : realByKey.values()) {
            CaseRecord played = simulatedByKey.get(record.key());
            if (played == null) {
                InherentDifference.find(inherent, record, Aspect.NOT_SIMULATED).ifPresentOrElse(
                        d -> explained.add(record.key() + ": not simulated: " + d.reason()),
                        () -> differences.add(record.key() + ": the real cluster recorded this case, but no scenario"
                                + " plays it (add 'case: " + record.caseName() + "' to the scenario action that does)"));
                continue;
            }
            CaseSummary was = CaseSummary.of(record);
            CaseSummary said = CaseSummary.of(played);
            boolean same = true;
            for (Aspect aspect : Aspect.values()) {
                if (aspect == Aspect.NOT_SIMULATED || was.agrees(said, aspect)) {
                    continue;
                }
                same = false;
                String line = record.key() + ": " + aspect.words() + " differ" + diff(was, said, aspect);
                InherentDifference.find(inherent, record, aspect).ifPresentOrElse(
                        d -> explained.add(line + "\n    inherent: " + d.reason()),
                        () -> differences.add(line));
            }
            if (same) {
                agreed.add(record.key());
            }
        }
        for (CaseRecord played : simulatedByKey.values()) {
            if (!realByKey.containsKey(played.key())) {
                if (coverage == Coverage.EVERY_SCENARIO_CASE) {
                    differences.add(played.key() + ": a scenario plays this case, but there is no real record of it"
                            + " (record it: docs/e2e.md#case-records)");
                } else {
                    unrecorded.add(played.key());
                }
            }
        }
        return new CaseComparison(List.copyOf(differences), List.copyOf(explained), List.copyOf(agreed),
                List.copyOf(unrecorded));
    }

    private static Map<String, CaseRecord> byKey(List<CaseRecord> records) {
        Map<String, CaseRecord> byKey = new LinkedHashMap<>();
        records.forEach(record -> byKey.put(record.key(), record));
        return byKey;
    }

    /** The two values, and for messages the lines only one side has. */
    private static String diff(CaseSummary real, CaseSummary simulated, Aspect aspect) {
        if (aspect != Aspect.PYXIS_MESSAGES) {
            return ":\n    real cluster: " + real.show(aspect) + "\n    simulator:    " + simulated.show(aspect);
        }
        StringBuilder text = new StringBuilder(" (- only on the real cluster, + only in the simulator):");
        List<String> onlySimulated = new ArrayList<>(simulated.pyxisMessages());
        for (String line : real.pyxisMessages()) {
            if (!onlySimulated.remove(line)) {
                text.append("\n    - ").append(line);
            }
        }
        onlySimulated.forEach(line -> text.append("\n    + ").append(line));
        return text.toString();
    }

    /** The whole comparison in words, differences first. */
    public String render() {
        StringBuilder text = new StringBuilder();
        differences.forEach(line -> text.append("DIFFERS ").append(line).append('\n'));
        explained.forEach(line -> text.append("explained ").append(line).append('\n'));
        agreed.forEach(key -> text.append("agrees ").append(key).append('\n'));
        unrecorded.forEach(key -> text.append("not recorded in this run ").append(key).append('\n'));
        text.append(agreed.size()).append(" cases agree, ").append(differences.size()).append(" differences, ")
                .append(explained.size()).append(" explained by inherent differences");
        if (!unrecorded.isEmpty()) {
            text.append(", ").append(unrecorded.size()).append(" not recorded");
        }
        return text.append('\n').toString();
    }
}
