package dev.jpyxis.domain.internal.option;

import static dev.jpyxis.domain.internal.option.Args.errorOf;
import static dev.jpyxis.domain.internal.option.Args.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("--container-image")
class ImageOptionTest {

    @Test
    @DisplayName("an empty value is refused: argument required")
    void emptyValue() {
        assertEquals(List.of("pyxis: --container-image: argument required"), errorOf("--container-image="));
    }

    @Test
    @DisplayName("a missing value is refused like an empty one")
    void missingValue() {
        assertEquals(List.of("pyxis: --container-image: argument required"), errorOf("--container-image"));
    }

    @Test
    @DisplayName("the same value twice is accepted silently")
    void identicalRepeat() {
        assertEquals("ubuntu:24.04",
                parse("--container-image=ubuntu:24.04", "--container-image=ubuntu:24.04").image().orElseThrow());
    }

    @Test
    @DisplayName("a different second value is refused: specified multiple times")
    void differentRepeat() {
        assertEquals(List.of("pyxis: --container-image specified multiple times"),
                errorOf("--container-image=ubuntu", "--container-image=centos"));
    }

    @Test
    @DisplayName("no syntax check at option time: any non-empty text is kept as given")
    void noSyntaxCheck() {
        assertEquals("podman://x y", parse("--container-image=podman://x y").image().orElseThrow());
        assertEquals("./img.sqsh", parse("--container-image=./img.sqsh").image().orElseThrow());
    }
}
