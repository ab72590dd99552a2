package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InstallCommandTest {

    @Test
    void aJvmThatWasNotPreparedRunsWithTheSameFlagsButNoCache() throws Exception {
        List<String> shipped = Files.readAllLines(Path.of("src/main/dist/lib/engine.args"));
        assertEquals(InstallCommand.COMMON_FLAGS, shipped);
    }

    @Test
    void eachJdkHasItsArgumentsAtItsRealPathUnderLibJvm() {
        assertEquals(Path.of("/usr/lib/jpyxis/lib/jvm/usr/lib/jvm/temurin-25-jdk-amd64/bin/java.args"),
                InstallCommand.argumentsFile(Path.of("/usr/lib/jpyxis/lib"),
                        Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")));
    }
}
