package dev.jpyxis.domain.internal.option;

import dev.jpyxis.domain.option.TriState;

import static dev.jpyxis.domain.internal.option.Args.errorOf;
import static dev.jpyxis.domain.internal.option.Args.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("boolean pairs and --container-entrypoint-log")
class BooleanOptionsTest {

    @Test
    @DisplayName("all boolean fields are unset by default")
    void unsetByDefault() {
        ContainerOptions options = parse();
        assertEquals(TriState.UNSET, options.mountHome());
        assertEquals(TriState.UNSET, options.remapRoot());
        assertEquals(TriState.UNSET, options.entrypoint());
        assertEquals(TriState.UNSET, options.entrypointLog());
        assertEquals(TriState.UNSET, options.writable());
    }

    @Test
    @DisplayName("each flag sets its field; the negative form sets it false")
    void flagsSetFields() {
        ContainerOptions on = parse("--container-mount-home", "--container-remap-root", "--container-entrypoint",
                "--container-entrypoint-log", "--container-writable");
        assertEquals(TriState.TRUE, on.mountHome());
        assertEquals(TriState.TRUE, on.remapRoot());
        assertEquals(TriState.TRUE, on.entrypoint());
        assertEquals(TriState.TRUE, on.entrypointLog());
        assertEquals(TriState.TRUE, on.writable());
        ContainerOptions off = parse("--no-container-mount-home", "--no-container-remap-root",
                "--no-container-entrypoint", "--container-readonly");
        assertEquals(TriState.FALSE, off.mountHome());
        assertEquals(TriState.FALSE, off.remapRoot());
        assertEquals(TriState.FALSE, off.entrypoint());
        assertEquals(TriState.FALSE, off.writable());
    }

    @Test
    @DisplayName("the same flag repeated is fine")
    void sameFlagTwice() {
        assertEquals(TriState.FALSE, parse("--container-readonly", "--container-readonly").writable());
        assertEquals(TriState.TRUE, parse("--container-entrypoint-log", "--container-entrypoint-log").entrypointLog());
    }

    @ParameterizedTest(name = "{0} with {1} is refused in either order")
    @CsvSource({
        "--container-mount-home,--no-container-mount-home",
        "--container-remap-root,--no-container-remap-root",
        "--container-entrypoint,--no-container-entrypoint",
        "--container-writable,--container-readonly"})
    void bothMembersOfAPair(String on, String off) {
        List<String> expected = List.of("pyxis: both " + on + " and " + off + " were specified");
        assertEquals(expected, errorOf(on, off));
        assertEquals(expected, errorOf(off, on));
    }

    @Test
    @DisplayName("tri-state fallbacks: unset takes the fallback, set values win")
    void triStateFallback() {
        assertEquals(true, TriState.UNSET.orElse(true));
        assertEquals(false, TriState.FALSE.orElse(true));
        assertEquals(true, TriState.TRUE.orElse(false));
    }
}
