package dev.jpyxis.simulator;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jpyxis.simulator.scenario.ScenarioException;
import dev.jpyxis.simulator.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The library's scenarios, damaged at random (characters dropped, doubled, replaced by YAML's special ones or by
 * control characters), are a scenario or a {@link ScenarioException}: never another exception. Seeded.
 */
class ScenarioFuzzTest {

    private static final long SEED = 20261202L;
    private static final String SPECIAL = ":-[]{}&*!|>'\"%@`#,?\n\t \u0001\u0007\u00ff\ufeff";

    @Test
    void damagedScenariosLoadOrAreRefusedWithFileAndLine() throws IOException {
        Random random = new Random(SEED);
        List<Path> library = ScenarioLibraryTest.library();
        for (int round = 0; round < 1_500; round++) {
            Path file = library.get(random.nextInt(library.size()));
            StringBuilder text = new StringBuilder(Files.readString(file));
            for (int edits = 1 + random.nextInt(4); edits > 0 && !text.isEmpty(); edits--) {
                int at = random.nextInt(text.length());
                switch (random.nextInt(3)) {
                    case 0 -> text.deleteCharAt(at);
                    case 1 -> text.insert(at, text.charAt(at));
                    default -> text.setCharAt(at, SPECIAL.charAt(random.nextInt(SPECIAL.length())));
                }
            }
            try {
                ScenarioLoader.load(file.getFileName().toString(), text.toString());
            } catch (ScenarioException refused) {
                // a message with file and line
            } catch (RuntimeException | StackOverflowError unexpected) {
                fail("round " + round + " (seed " + SEED + ", " + file + "): " + unexpected + "\n" + text,
                        unexpected);
            }
        }
    }
}
