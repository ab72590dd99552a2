package dev.jpyxis.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.simulator.report.SimulationReport;
import dev.jpyxis.simulator.report.TextReport;
import dev.jpyxis.simulator.scenario.Scenario;
import dev.jpyxis.simulator.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every scenario of the library ({@code simulator/scenarios}) holds: with the default task order and with a range of
 * other orders, since a rule that holds for one arrival order only is a race.
 */
class ScenarioLibraryTest {

    static final Path LIBRARY = Path.of("scenarios");
    private static final int ORDERS = 12;

    static List<Path> library() throws IOException {
        try (Stream<Path> files = Files.list(LIBRARY)) {
            return files.filter(file -> file.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    static Scenario load(Path file) throws IOException {
        return ScenarioLoader.load(file.toString(), Files.readString(file));
    }

    @Test
    void theLibraryIsThere() throws IOException {
        assertTrue(library().size() >= 10, "scenario files in " + LIBRARY.toAbsolutePath() + ": " + library());
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioHoldsInManyTaskOrders() throws IOException {
        return library().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Scenario scenario = load(file);
            SimulationReport report = Simulator.run(scenario, 0);
            assertTrue(report.passed(), () -> TextReport.render(report));
            List<SimulationReport> broken = Simulator.explore(scenario, 1, ORDERS);
            assertTrue(broken.isEmpty(), () -> TextReport.render(broken.get(0)));
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioIsDeterministic() throws IOException {
        return library().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            Scenario scenario = load(file);
            assertEquals(TextReport.render(Simulator.run(scenario, 7)), TextReport.render(Simulator.run(scenario, 7)));
        }));
    }

    @Test
    void everyScenarioSaysWhatItShows() throws IOException {
        for (Path file : library()) {
            assertFalse(load(file).description().isBlank(), file + " has no description");
        }
    }
}
