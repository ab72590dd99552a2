package dev.jpyxis.adapters.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jpyxis.domain.port.out.PathProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalNodeFilesTest {

    @TempDir
    Path dir;

    private final LocalNodeFiles files = new LocalNodeFiles();

    @Test
    void probesPaths() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        assertEquals(PathProbe.exists(), files.probe(file.toString()));
        assertEquals(PathProbe.exists(), files.probe(dir.toString()));
        assertEquals(PathProbe.missing(), files.probe(dir.resolve("nope").toString()));
        assertEquals(PathProbe.missing(), files.probe(file.resolve("below-a-file").toString()), "ENOTDIR");
    }

    @Test
    void deletesFilesQuietlyWhenAlreadyGone() throws Exception {
        Path file = Files.writeString(dir.resolve("f.squashfs"), "x");
        assertEquals(Optional.empty(), files.delete(file.toString()));
        assertFalse(Files.exists(file));
        assertEquals(Optional.empty(), files.delete(file.toString()));
        Files.createDirectories(dir.resolve("d/e"));
        assertEquals(Optional.of("Directory not empty"), files.delete(dir.resolve("d").toString()));
    }
}
