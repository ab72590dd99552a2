package dev.jpyxis.simulator.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A case record with what varies between runs taken out, so that a real run and the simulator can be compared: job
 * ids, the working directory, which node printed a line, the order in which nodes printed, and nodes where nothing
 * happened.
 *
 * @param containersAdded   per node, the containers the case left that were not there before
 * @param containersRemoved per node, the containers that were there before and are gone
 * @param pyxisMessages     the {@code pyxis:} lines on srun's stderr, each from {@code pyxis:} on, sorted
 */
public record CaseSummary(String exit, Map<String, Integer> starts, Map<String, Integer> leftoversRemoved,
        Map<String, List<String>> containersAdded, Map<String, List<String>> containersRemoved,
        List<String> pyxisMessages) {

    /** A container name holding a job id: {@code pyxis_123.0}, {@code pyxis_123_name}, {@code pyxis_123_123.0}. */
    private static final Pattern JOB_IN_NAME = Pattern.compile("pyxis_\\d+([._])(\\d+\\.)?");
    private static final Pattern STEP = Pattern.compile("\\b(step|job) \\d+(\\.\\d+)?");

    public static CaseSummary of(CaseRecord record) {
        List<String> messages = new ArrayList<>();
        for (String line : record.stderr()) {
            int at = line.indexOf("pyxis:");
            if (at >= 0) {
                messages.add(normalised(line.substring(at), record));
            }
        }
        messages.sort(null);
        Map<String, List<String>> added = new TreeMap<>();
        Map<String, List<String>> removed = new TreeMap<>();
        TreeSet<String> nodes = new TreeSet<>(record.containersAfter().keySet());
        nodes.addAll(record.containersBefore().keySet());
        for (String node : nodes) {
            List<String> before = record.containersBefore().getOrDefault(node, List.of());
            List<String> after = record.containersAfter().getOrDefault(node, List.of());
            List<String> gained = after.stream().filter(name -> !before.contains(name))
                    .map(name -> normalised(name, record)).sorted().toList();
            List<String> lost = before.stream().filter(name -> !after.contains(name))
                    .map(name -> normalised(name, record)).sorted().toList();
            if (!gained.isEmpty()) {
                added.put(node, gained);
            }
            if (!lost.isEmpty()) {
                removed.put(node, lost);
            }
        }
        return new CaseSummary(record.exit() == null ? "none" : record.exit().toString(), nonZero(record.starts()),
                nonZero(record.leftoversRemoved()), added, removed, List.copyOf(messages));
    }

    /** Job ids become {@code JOB}, the working directory {@code $WORK}. */
    static String normalised(String text, CaseRecord record) {
        String result = text;
        if (!record.workDir().isEmpty()) {
            result = result.replace(record.workDir(), "$WORK");
        }
        Matcher name = JOB_IN_NAME.matcher(result);
        result = name.replaceAll(match -> Matcher.quoteReplacement("pyxis_JOB" + match.group(1)
                + (match.group(2) == null ? "" : "JOB.")));
        Matcher step = STEP.matcher(result);
        result = step.replaceAll(match -> match.group(1) + " JOB" + (match.group(2) == null ? "" : ".S"));
        for (Long job : record.jobs()) {
            result = result.replaceAll("\\b" + job + "\\b", "JOB");
        }
        return result;
    }

    private static Map<String, Integer> nonZero(Map<String, Integer> perNode) {
        Map<String, Integer> result = new TreeMap<>();
        perNode.forEach((node, count) -> {
            if (count != 0) {
                result.put(node, count);
            }
        });
        return result;
    }

    /** The value of one aspect, in words, for a difference report. */
    String show(Aspect aspect) {
        return switch (aspect) {
            case EXIT -> exit;
            case STARTS -> starts.toString();
            case LEFTOVERS_REMOVED -> leftoversRemoved.toString();
            case CONTAINERS -> "added " + containersAdded + ", removed " + containersRemoved;
            case PYXIS_MESSAGES -> pyxisMessages.toString();
            case NOT_SIMULATED -> "";
        };
    }

    /** Whether the two agree on one aspect. */
    boolean agrees(CaseSummary other, Aspect aspect) {
        return switch (aspect) {
            case EXIT -> exit.equals(other.exit);
            case STARTS -> starts.equals(other.starts);
            case LEFTOVERS_REMOVED -> leftoversRemoved.equals(other.leftoversRemoved);
            case CONTAINERS -> containersAdded.equals(other.containersAdded)
                    && containersRemoved.equals(other.containersRemoved);
            case PYXIS_MESSAGES -> pyxisMessages.equals(other.pyxisMessages);
            case NOT_SIMULATED -> true;
        };
    }
}
