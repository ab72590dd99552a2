package dev.jpyxis.simulator.cases;

import java.util.List;
import java.util.Map;

/**
 * What one multi-node case did, in the form the e2e tests record it on the real cluster (one JSON line of
 * {@code multinode-cases.jsonl}, docs/e2e.md#case-records) and the simulator gives for the scenario action playing it.
 *
 * @param caseName          the case, as the e2e test names it
 * @param runtime           {@code enroot} or {@code charliecloud}
 * @param exit              the exit status of srun, salloc or the batch job; null when there was none (a time-out)
 * @param jobs              the jobs the nodes worked on during the case
 * @param starts            per node, how many containers it started
 * @param leftoversRemoved  per node, how many leftover containers of dead steps it removed
 * @param containersBefore  per node, the test user's containers when the case began
 * @param containersAfter   per node, the test user's containers when the case ended
 * @param stderr            what srun (salloc, sbatch) printed on stderr, verbatim
 * @param workDir           the job's working directory, which a message may name
 */
public record CaseRecord(String caseName, String runtime, Integer exit, List<Long> jobs, Map<String, Integer> starts,
        Map<String, Integer> leftoversRemoved, Map<String, List<String>> containersBefore,
        Map<String, List<String>> containersAfter, List<String> stderr, String workDir) {

    public CaseRecord {
        if (caseName == null || caseName.isBlank()) {
            throw new IllegalArgumentException("a case record needs its case's name");
        }
        if (runtime == null || runtime.isBlank()) {
            throw new IllegalArgumentException("the record of " + caseName + " needs its runtime");
        }
        jobs = List.copyOf(jobs);
        starts = Map.copyOf(starts);
        leftoversRemoved = Map.copyOf(leftoversRemoved);
        containersBefore = Map.copyOf(containersBefore);
        containersAfter = Map.copyOf(containersAfter);
        stderr = List.copyOf(stderr);
        workDir = workDir == null ? "" : workDir;
    }

    /** The case and runtime, as comparisons name it: {@code name [runtime]}. */
    public String key() {
        return caseName + " [" + runtime + "]";
    }
}
