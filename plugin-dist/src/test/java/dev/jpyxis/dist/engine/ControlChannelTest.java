package dev.jpyxis.dist.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlChannelTest {

    @TempDir
    Path dir;

    @Test
    void aRegularFileWhereTheAnswersGoIsRefusedAndLeftWhole() throws Exception {
        Path precious = dir.resolve("modules");
        byte[] content = "the JDK's module image".getBytes(StandardCharsets.UTF_8);
        Files.write(precious, content);

        ControlChannel.NotThePlugin refused = assertThrows(ControlChannel.NotThePlugin.class,
                () -> ControlChannel.answers(precious));

        assertTrue(refused.getMessage().contains("not a pipe from spank_pyxis.so"), refused.getMessage());
        assertArrayEquals(content, Files.readAllBytes(precious));
    }

    @Test
    void aRegularFileWhereTheRequestsComeFromIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("requests"), "x");

        assertThrows(ControlChannel.NotThePlugin.class, () -> ControlChannel.requests(file));
    }

    @Test
    void aDescriptorThatIsNotOpenIsRefused() {
        ControlChannel.NotThePlugin refused = assertThrows(ControlChannel.NotThePlugin.class,
                () -> ControlChannel.answers(dir.resolve("no-such-descriptor")));

        assertTrue(refused.getMessage().contains("is not open"), refused.getMessage());
    }

    @Test
    void aPipeCarriesTheAnswers() throws Exception {
        Path received = dir.resolve("received");
        Process reader = new ProcessBuilder("cat").redirectOutput(received.toFile()).start();
        Path pipe = Path.of("/proc/" + reader.pid() + "/fd/0");

        try (OutputStream out = ControlChannel.answers(pipe)) {
            out.write("msg=init".getBytes(StandardCharsets.UTF_8));
        }
        reader.getOutputStream().close();

        assertEquals(0, reader.waitFor());
        assertEquals("msg=init", Files.readString(received));
    }
}
