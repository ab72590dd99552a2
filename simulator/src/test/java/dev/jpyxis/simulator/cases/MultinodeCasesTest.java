package dev.jpyxis.simulator.cases;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.simulator.Simulator;
import dev.jpyxis.simulator.scenario.Scenario;
import dev.jpyxis.simulator.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The simulator checked against the real cluster: every scenario action marked {@code case:} does what the e2e
 * multi-node tests recorded the real cluster doing in that case, on that runtime (the golden copy of a real run,
 * docs/simulator.md#checked-against-the-real-cluster), up to the listed inherent differences. A change of the
 * simulator (or of the plugin's decisions) that the real cluster did not show fails here.
 */
class MultinodeCasesTest {

    static final Path GOLDEN = Path.of("src/test/resources/multinode-cases.jsonl");
    private static final Path LIBRARY = Path.of("scenarios");

    static List<CaseRecord> simulated() throws IOException {
        List<CaseRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(LIBRARY)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Scenario scenario = ScenarioLoader.load(file.toString(), Files.readString(file));
                records.addAll(Simulator.run(scenario, 0).cases());
            }
        }
        return records;
    }

    static List<CaseRecord> golden() throws IOException {
        return CaseRecords.parse(GOLDEN.toString(), Files.readString(GOLDEN));
    }

    @Test
    void theScenariosDoWhatTheRealClusterDidInEveryMultiNodeCase() throws IOException {
        CaseComparison comparison = CaseComparison.compare(golden(), simulated(), InherentDifference.MULTINODE,
                CaseComparison.Coverage.EVERY_SCENARIO_CASE);
        assertTrue(comparison.agrees(), () -> "the simulator no longer does what the real cluster did ("
                + GOLDEN + "):\n" + comparison.render());
    }

    @Test
    void theGoldenRecordsHoldBothRuntimesAndEveryCaseTheScenariosPlay() throws IOException {
        List<CaseRecord> golden = golden();
        assertTrue(golden.stream().anyMatch(r -> r.runtime().equals("charliecloud")), "no Charliecloud record");
        assertTrue(golden.stream().anyMatch(r -> r.runtime().equals("enroot")), "no enroot record");
        List<String> played = simulated().stream().map(CaseRecord::caseName).distinct().toList();
        assertTrue(played.size() >= 9, "cases played by the scenarios: " + played);
    }

    @Test
    void everyInherentDifferenceIsOfARecordedCase() throws IOException {
        List<String> recorded = golden().stream().map(CaseRecord::caseName).toList();
        for (InherentDifference difference : InherentDifference.MULTINODE) {
            assertTrue(recorded.contains(difference.caseName()), "no record of " + difference.caseName()
                    + ": drop its inherent difference");
            assertFalse(difference.reason().isBlank());
        }
    }
}
