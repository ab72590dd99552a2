package dev.jpyxis.dist.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The committed reference pages are exactly what the code's tables render. */
class ReferenceDocsTest {

    private static final Path DOCS = Path.of("..", "docs");
    private static final String HOW_TO_FIX = "docs/ is stale: regenerate with "
            + "'java -cp \"plugin-dist/target/jpyxis/lib/*\" dev.jpyxis.dist.docs.ReferenceDocs docs'";

    @Test
    void optionsPageIsCurrent() throws IOException {
        assertEquals(ReferenceDocs.optionsPage(), Files.readString(DOCS.resolve("options.md"), StandardCharsets.UTF_8),
                HOW_TO_FIX);
    }

    @Test
    void configurationPageIsCurrent() throws IOException {
        assertEquals(ReferenceDocs.configurationPage(),
                Files.readString(DOCS.resolve("configuration.md"), StandardCharsets.UTF_8), HOW_TO_FIX);
    }
}
