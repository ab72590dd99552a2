package dev.jpyxis.domain.internal.option;

import static dev.jpyxis.domain.internal.option.Args.errorOf;
import static dev.jpyxis.domain.internal.option.Args.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkdirAndSaveOptionTest {

    @Nested
    @DisplayName("--container-workdir")
    class Workdir {
        @Test
        @DisplayName("an empty value is refused: argument required")
        void empty() {
            assertEquals(List.of("pyxis: --container-workdir: argument required"), errorOf("--container-workdir="));
        }

        @Test
        @DisplayName("the same value twice is fine, a different one is refused")
        void repeats() {
            assertEquals("/w", parse("--container-workdir=/w", "--container-workdir=/w").workdir().orElseThrow());
            assertEquals(List.of("pyxis: --container-workdir specified multiple times"),
                    errorOf("--container-workdir=/w", "--container-workdir=/x"));
        }

        @Test
        @DisplayName("relative paths are kept as given (resolved inside the container later)")
        void relative() {
            assertEquals("work/dir", parse("--container-workdir=work/dir").workdir().orElseThrow());
        }
    }

    @Nested
    @DisplayName("--container-save")
    class Save {
        @Test
        @DisplayName("an empty value is refused: argument required")
        void empty() {
            assertEquals(List.of("pyxis: --container-save: argument required"), errorOf("--container-save="));
        }

        @ParameterizedTest(name = "{0} ends with '/' and is refused as a directory")
        @ValueSource(strings = {"/", "/tmp/", "./"})
        void directory(String path) {
            assertEquals(List.of("pyxis: --container-save: target is a directory"),
                    errorOf("--container-save=" + path));
        }

        @Test
        @DisplayName("the directory check comes before the repeat check")
        void directoryBeforeRepeat() {
            assertEquals(List.of("pyxis: --container-save: target is a directory"),
                    errorOf("--container-save=/a.sqsh", "--container-save=/tmp/"));
        }

        @Test
        @DisplayName("the same value twice is fine, a different one is refused")
        void repeats() {
            assertEquals("x.sqsh", parse("--container-save=x.sqsh", "--container-save=x.sqsh").save().orElseThrow());
            assertEquals(List.of("pyxis: --container-save specified multiple times"),
                    errorOf("--container-save=x.sqsh", "--container-save=y.sqsh"));
        }
    }
}
