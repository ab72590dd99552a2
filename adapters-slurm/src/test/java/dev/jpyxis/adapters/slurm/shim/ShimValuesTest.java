package dev.jpyxis.adapters.slurm.shim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the values the shim shares with Java are generated from the Java tables")
class ShimValuesTest {

    private final String header = ShimValues.header("1.2.3");

    @Test
    @DisplayName("plugstack keys, defaults, words and prefixes come from the domain")
    void configuration() {
        assertTrue(header.contains("#define JPYXIS_DEFAULT_RUNTIME_PATH \"/run/pyxis\"\n"), header);
        assertTrue(header.contains("#define JPYXIS_SCOPE_JOB \"job\"\n"), header);
        assertTrue(header.contains("#define JPYXIS_ENV_PREFIX \"PYXIS_CONTAINER_\"\n"), header);
        assertTrue(header.contains("#define JPYXIS_KEY_SBATCH_SUPPORT \"sbatch_support\"\n"), header);
        assertTrue(header.contains("#define JPYXIS_KEY_JVM_OPTIONS \"jvm_options\"\n"), header);
        assertTrue(header.contains("#define JPYXIS_KEY_IMAGE_CACHE \"image_cache\"\n"), header);
        assertTrue(header.contains("#define JPYXIS_DEFAULT_IMAGE_CACHE \"/var/tmp/jpyxis-cache\"\n"), header);
        assertTrue(header.contains("jpyxis_false_words[] = { \"0\", \"false\", \"no\", \"n\", NULL };"), header);
    }

    @Test
    @DisplayName("the banner names jpyxis's version and the pyxis release it matches; the protocol is the codec's")
    void versions() {
        assertTrue(header.contains("#define JPYXIS_BANNER \"jpyxis 1.2.3, pyxis 0.24 compatible\"\n"), header);
        assertTrue(header.contains("#define JPYXIS_PROTOCOL \"" + dev.jpyxis.adapters.slurm.protocol.MessageCodec.PROTOCOL_VERSION + "\"\n"), header);
        assertTrue(header.contains("#define JPYXIS_ENGINE_MAIN \"dev.jpyxis.dist.engine.EngineMain\"\n"), header);
    }
}
