package dev.jpyxis.simulator.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class CaseComparisonTest {

    private static final String NAME_ERROR =
            "pyxis: error: a container with name \"pyxis_lonely\" does not exist, and --container-image is not set";

    /** The real record of a failing step on node2, as e2e/tests/lib.sh writes it. */
    private static CaseRecord real(int exit, Map<String, Integer> starts, List<String> stderr) {
        return new CaseRecord("name-on-one-node", "enroot", exit, List.of(900037L), starts, Map.of("node1", 0),
                Map.of("node1", List.of("pyxis_lonely", "pyxis_900030.0"), "node2", List.of()),
                Map.of("node1", List.of("pyxis_lonely", "pyxis_900030.0"), "node2", List.of()), stderr,
                "/home/jpxtest/e2e-work");
    }

    private static CaseRecord simulated(int exit, Map<String, Integer> starts, List<String> stderr) {
        return new CaseRecord("name-on-one-node", "enroot", exit, List.of(104L), starts, Map.of(),
                Map.of("node1", List.of("pyxis_lonely")), Map.of("node1", List.of("pyxis_lonely")), stderr,
                "/home/jpxtest");
    }

    private static final List<String> REAL_ERR = List.of("slurmstepd-node2: error: " + NAME_ERROR,
            "srun: error: node2: task 1: Exited with exit code 1");

    @Nested
    @DisplayName("normalising a record")
    class Normalising {

        @Test
        void jobIdsInContainerNamesAndStepsBecomeJob() {
            CaseRecord record = real(0, Map.of(), List.of());
            assertEquals("pyxis: removing leftover container pyxis_JOB.0 of step JOB.S",
                    CaseSummary.normalised("pyxis: removing leftover container pyxis_900038.0 of step 900038.0",
                            record));
            assertEquals("pyxis_JOB_kept pyxis_JOB_JOB.1 pyxis_mn", CaseSummary.normalised(
                    "pyxis_900042_kept pyxis_900042_900042.1 pyxis_mn", record));
            assertEquals("job JOB is JOB", CaseSummary.normalised("job 123 is 900037", record));
        }

        @Test
        void theWorkingDirectoryBecomesWork() {
            assertEquals("pyxis: starting container from squashfs: $WORK/img.sqsh", CaseSummary.normalised(
                    "pyxis: starting container from squashfs: /home/jpxtest/e2e-work/img.sqsh",
                    real(0, Map.of(), List.of())));
        }

        @Test
        void onlyPyxisLinesFromPyxisOnAreKeptSortedAndNodesWithNothingDrop() {
            CaseSummary summary = CaseSummary.of(real(1, Map.of("node1", 1, "node2", 0, "node3", 0),
                    List.of("slurmstepd-node2: error: pyxis: b", "srun: error: Node failure on node2",
                            "slurmstepd-node1: error: pyxis: a")));
            assertEquals(List.of("pyxis: a", "pyxis: b"), summary.pyxisMessages());
            assertEquals(Map.of("node1", 1), summary.starts());
            assertEquals(Map.of(), summary.leftoversRemoved());
        }

        @Test
        void containersAreComparedByWhatTheCaseAddedAndRemoved() {
            CaseRecord record = new CaseRecord("c", "enroot", 0, List.of(7L), Map.of(), Map.of(),
                    Map.of("node1", List.of("pyxis_old", "pyxis_5.0"), "node2", List.of("pyxis_gone")),
                    Map.of("node1", List.of("pyxis_old", "pyxis_5.0", "pyxis_7.0"), "node2", List.of()), List.of(),
                    "");
            CaseSummary summary = CaseSummary.of(record);
            assertEquals(Map.of("node1", List.of("pyxis_JOB.0")), summary.containersAdded());
            assertEquals(Map.of("node2", List.of("pyxis_gone")), summary.containersRemoved());
        }

        @Test
        void aRecordNeedsItsCaseAndRuntime() {
            assertThrows(IllegalArgumentException.class, () -> new CaseRecord(" ", "enroot", 0, List.of(), Map.of(),
                    Map.of(), Map.of(), Map.of(), List.of(), ""));
            assertThrows(IllegalArgumentException.class, () -> new CaseRecord("c", null, 0, List.of(), Map.of(),
                    Map.of(), Map.of(), Map.of(), List.of(), ""));
        }
    }

    @Nested
    @DisplayName("comparing the real cluster with the simulator")
    class Comparing {

        @Test
        void theSameBehaviourWithOtherJobIdsPathsAndPrefixesAgrees() {
            CaseComparison comparison = CaseComparison.compare(
                    List.of(real(1, Map.of("node1", 1, "node2", 0), REAL_ERR)),
                    List.of(simulated(1, Map.of("node1", 1), List.of("slurmstepd-node2: error: " + NAME_ERROR))),
                    List.of(), CaseComparison.Coverage.EVERY_SCENARIO_CASE);
            assertTrue(comparison.agrees(), comparison.render());
            assertEquals(List.of("name-on-one-node [enroot]"), comparison.agreed());
        }

        @Test
        void anotherExitStatusOrStartCountIsADifferenceShowingBothValues() {
            CaseComparison comparison = CaseComparison.compare(
                    List.of(real(1, Map.of("node1", 1), REAL_ERR)),
                    List.of(simulated(0, Map.of("node1", 1, "node2", 1), List.of(NAME_ERROR))),
                    List.of(), CaseComparison.Coverage.EVERY_SCENARIO_CASE);
            assertFalse(comparison.agrees());
            assertEquals(List.of("""
                    name-on-one-node [enroot]: exit differ:
                        real cluster: 1
                        simulator:    0""", """
                    name-on-one-node [enroot]: starts differ:
                        real cluster: {node1=1}
                        simulator:    {node1=1, node2=1}"""), comparison.differences());
        }

        @Test
        void aMessageOnlyOneSideShowsIsNamedWithItsSide() {
            CaseComparison comparison = CaseComparison.compare(
                    List.of(real(1, Map.of("node1", 1), REAL_ERR)),
                    List.of(simulated(1, Map.of("node1", 1), List.of("pyxis: something else"))),
                    List.of(), CaseComparison.Coverage.EVERY_SCENARIO_CASE);
            assertEquals(List.of("name-on-one-node [enroot]: pyxis messages differ (- only on the real cluster, +"
                    + " only in the simulator):\n    - " + NAME_ERROR + "\n    + pyxis: something else"),
                    comparison.differences());
        }

        @Test
        void anInherentDifferenceIsReportedWithItsReasonInsteadOfFailing() {
            InherentDifference slurm = new InherentDifference("name-on-one-node", "enroot", Aspect.EXIT,
                    "a reason");
            CaseComparison comparison = CaseComparison.compare(List.of(real(1, Map.of("node1", 1), REAL_ERR)),
                    List.of(simulated(2, Map.of("node1", 1), List.of(NAME_ERROR))), List.of(slurm),
                    CaseComparison.Coverage.EVERY_SCENARIO_CASE);
            assertTrue(comparison.agrees(), comparison.render());
            assertEquals(1, comparison.explained().size());
            assertTrue(comparison.explained().get(0).endsWith("inherent: a reason"), comparison.explained().get(0));
        }

        @Test
        void anInherentDifferenceOfTheOtherRuntimeExplainsNothing() {
            InherentDifference other = new InherentDifference("name-on-one-node", "charliecloud", Aspect.EXIT,
                    "a reason");
            assertFalse(CaseComparison.compare(List.of(real(1, Map.of("node1", 1), REAL_ERR)),
                    List.of(simulated(2, Map.of("node1", 1), List.of(NAME_ERROR))), List.of(other),
                    CaseComparison.Coverage.EVERY_SCENARIO_CASE).agrees());
        }

        @Test
        void aRecordedCaseNoScenarioPlaysIsADifferenceUnlessListedAsNotSimulated() {
            CaseRecord record = real(1, Map.of(), REAL_ERR);
            CaseComparison missing = CaseComparison.compare(List.of(record), List.of(), List.of(),
                    CaseComparison.Coverage.EVERY_SCENARIO_CASE);
            assertEquals(List.of("name-on-one-node [enroot]: the real cluster recorded this case, but no scenario"
                    + " plays it (add 'case: name-on-one-node' to the scenario action that does)"),
                    missing.differences());
            CaseComparison listed = CaseComparison.compare(List.of(record), List.of(), List.of(
                    new InherentDifference("name-on-one-node", null, Aspect.NOT_SIMULATED, "no PMIx")),
                    CaseComparison.Coverage.EVERY_SCENARIO_CASE);
            assertTrue(listed.agrees());
            assertEquals(List.of("name-on-one-node [enroot]: not simulated: no PMIx"), listed.explained());
        }

        @Test
        void aPlayedCaseWithoutARecordFailsAgainstTheGoldenCopyAndIsOnlyNotedInASubsetRun() {
            CaseRecord played = simulated(1, Map.of(), List.of());
            assertFalse(CaseComparison.compare(List.of(), List.of(played), List.of(),
                    CaseComparison.Coverage.EVERY_SCENARIO_CASE).agrees());
            CaseComparison subset = CaseComparison.compare(List.of(), List.of(played), List.of(),
                    CaseComparison.Coverage.RECORDED_CASES_ONLY);
            assertTrue(subset.agrees());
            assertEquals(List.of("name-on-one-node [enroot]"), subset.unrecorded());
        }

        @Test
        void twoActionsPlayingOneCaseAreADifference() {
            CaseRecord played = simulated(1, Map.of(), List.of());
            assertFalse(CaseComparison.compare(List.of(), List.of(played, played), List.of(),
                    CaseComparison.Coverage.RECORDED_CASES_ONLY).agrees());
        }
    }
}
