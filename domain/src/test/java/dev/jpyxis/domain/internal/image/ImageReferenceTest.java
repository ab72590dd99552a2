package dev.jpyxis.domain.internal.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("image argument forms")
class ImageReferenceTest {

    @ParameterizedTest(name = "{0} is a squashfs file")
    @ValueSource(strings = {"/images/u.sqsh", "./u.sqsh", "../u.sqsh", ".u.sqsh"})
    void squashfsFiles(String image) {
        assertTrue(new ImageReference(image).isSquashfsFile());
    }

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource({"ubuntu:24.04,docker://ubuntu:24.04", "nvcr.io#nvidia/pytorch:24.01,docker://nvcr.io#nvidia/pytorch:24.01",
        "docker://ubuntu,docker://ubuntu", "dockerd://local:tag,dockerd://local:tag",
        "podman://x,docker://podman://x", "u.sqsh,docker://u.sqsh"})
    void registryUris(String image, String uri) {
        ImageReference reference = new ImageReference(image);
        assertFalse(reference.isSquashfsFile());
        assertEquals(uri, reference.uri());
    }

    @Test
    @DisplayName("dockerd:// images come from the local Docker daemon")
    void dockerDaemon() {
        assertTrue(new ImageReference("dockerd://x").fromDockerDaemon());
        assertFalse(new ImageReference("docker://x").fromDockerDaemon());
        assertEquals("x", new ImageReference("x").toString());
        assertThrows(IllegalArgumentException.class, () -> new ImageReference(""));
    }

    @Test
    @DisplayName("image modes: which come from a registry, which start directly, which use the importer")
    void modes() {
        assertTrue(ImageMode.IMPORT_CREATE.fromRegistry());
        assertTrue(ImageMode.LOAD.fromRegistry());
        assertTrue(ImageMode.IMPORTER_DIRECT.fromRegistry());
        assertFalse(ImageMode.SQUASHFS_CREATE.fromRegistry());
        assertTrue(ImageMode.SQUASHFS_DIRECT.directStart());
        assertTrue(ImageMode.IMPORTER_DIRECT.directStart());
        assertFalse(ImageMode.IMPORTER_CREATE.directStart());
        assertTrue(ImageMode.IMPORTER_CREATE.usesImporter());
        assertFalse(ImageMode.LOAD.usesImporter());
    }
}
