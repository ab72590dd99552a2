package dev.jpyxis.dist.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpyxis.domain.config.PluginConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineWiringTest {

    @TempDir
    Path runtimePath;

    @Test
    void enrootsStartConfigurationGoesWhereTheTaskSeesItNotIntoTheEnginesTmp() throws Exception {
        PluginConfig config = PluginConfig.parse("runtime_path=" + runtimePath);
        assertEquals(Path.of("/tmp"), EngineWiring.startConfigurations(config), "no user directory yet");
        Path own = Files.createDirectory(runtimePath.resolve(
                Long.toString(new com.sun.security.auth.module.UnixSystem().getUid())));
        assertEquals(own, EngineWiring.startConfigurations(config));
    }
}
