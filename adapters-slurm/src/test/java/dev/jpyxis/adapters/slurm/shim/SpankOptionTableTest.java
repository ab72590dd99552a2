package dev.jpyxis.adapters.slurm.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.option.ContainerOption;
import org.junit.jupiter.api.Test;

class SpankOptionTableTest {

    @Test
    void everyOptionIsRegisteredWithPyxisValues() {
        String header = SpankOptionTable.header();
        assertTrue(header.contains("#define JPYXIS_OPTION_COUNT 16"));
        assertTrue(header.contains("{ \"container-image\", \"[USER@][REGISTRY#]IMAGE[:TAG]|PATH\",\n\t  \"[pyxis] the"
                + " image to use for the container filesystem."));
        assertTrue(header.contains("\t  1, 1, jpyxis_option_container_unshare },"));
        assertTrue(header.contains("{ \"no-container-mount-home\", NULL,"));
        assertTrue(header.contains("\t  0, 0, jpyxis_option_no_container_mount_home },"));
        assertTrue(header.contains("return jpyxis_record_option(\"container-entrypoint-log\", optarg, remote);"));
        assertTrue(header.trim().endsWith("SPANK_OPTIONS_TABLE_END\n};\n\n#endif"));
        for (ContainerOption option : ContainerOption.values()) {
            assertTrue(header.contains("{ \"" + option.optionName() + "\", "), option.flag());
        }
    }

    @Test
    void quotesInHelpTextsAreEscaped() {
        assertTrue(SpankOptionTable.header().contains("separated with \\\"+\\\", e.g. \\\"ro+rprivate\\\""));
        assertEquals("\"a\\\\b\"", SpankOptionTable.literal("a\\b"));
        assertThrows(IllegalArgumentException.class, () -> SpankOptionTable.literal("tab\there"));
    }
}
