package dev.jpyxis.domain.internal.option;

import static dev.jpyxis.domain.internal.option.Args.errorOf;
import static dev.jpyxis.domain.internal.option.Args.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("--container-name")
class NameOptionTest {

    private static final String BAD_FLAG =
            "pyxis: --container-name: flag must be \"auto\", \"create\", \"exec\" or \"no_exec\"";

    @Test
    @DisplayName("an empty value is refused: argument required")
    void empty() {
        assertEquals(List.of("pyxis: --container-name: argument required"), errorOf("--container-name="));
    }

    @ParameterizedTest(name = "{0} gives name {1} with flag {2}")
    @CsvSource({"dev,dev,AUTO", "dev:auto,dev,AUTO", "dev:create,dev,CREATE", "dev:exec,dev,EXEC",
        "dev:no_exec,dev,NO_EXEC", "dev:,dev,AUTO", "a/b:exec,a/b,EXEC", "1234.5,1234.5,AUTO"})
    void nameAndFlag(String value, String name, NameFlag flag) {
        assertEquals(new ContainerNameRequest(name, flag), parse("--container-name=" + value).name().orElseThrow());
    }

    @Test
    @DisplayName("an empty name before the flag is refused")
    void emptyName() {
        assertEquals(List.of("pyxis: --container-name: empty name"), errorOf("--container-name=:exec"));
    }

    @ParameterizedTest(name = "flag text ''{0}'' is refused")
    @ValueSource(strings = {"dev:EXEC", "dev:run", "dev:exec:x", "dev:auto "})
    void badFlag(String value) {
        assertEquals(List.of(BAD_FLAG), errorOf("--container-name=" + value));
    }

    @Test
    @DisplayName("a repeat of the bare name is accepted silently")
    void repeatBareName() {
        assertEquals(new ContainerNameRequest("dev", NameFlag.EXEC),
                parse("--container-name=dev:exec", "--container-name=dev").name().orElseThrow());
    }

    @Test
    @DisplayName("quirk: a repeat with a flag is compared with the bare name and refused")
    void repeatWithFlagIsRefused() {
        assertEquals(List.of("pyxis: --container-name specified multiple times"),
                errorOf("--container-name=dev:exec", "--container-name=dev:exec"));
    }

    @Test
    @DisplayName("a different name is refused: specified multiple times (checked before parsing)")
    void differentName() {
        assertEquals(List.of("pyxis: --container-name specified multiple times"),
                errorOf("--container-name=a", "--container-name=:bad"));
    }

    @Test
    @DisplayName("a name request always has a non-empty name")
    void requestNeedsName() {
        assertThrows(IllegalArgumentException.class, () -> new ContainerNameRequest("", NameFlag.AUTO));
    }
}
