package dev.jpyxis.domain.internal.option;

import static dev.jpyxis.domain.internal.option.Args.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.Severity;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("enabling condition and \"ignoring\" warnings")
class IgnoredOptionsTest {

    private static final String TAIL = " because neither --container-image nor --container-name is set";

    @Test
    @DisplayName("an image or a name enables pyxis; nothing else does")
    void enablingCondition() {
        assertTrue(parse("--container-image=x").isEnabled());
        assertTrue(parse("--container-name=x").isEnabled());
        assertFalse(parse("--container-mounts=/a", "--container-workdir=/w", "--container-env=A",
                "--container-unshare=net").isEnabled());
        assertFalse(ContainerOptions.none().isEnabled());
    }

    @Test
    @DisplayName("without image or name, each given option is warned about, in pyxis's order, as errors")
    void warningsInOrder() {
        List<Diagnostic> warnings = IgnoredOptions.warnings(parse("--container-readonly", "--container-entrypoint-log",
                "--no-container-entrypoint", "--container-remap-root", "--no-container-mount-home",
                "--container-save=s", "--container-workdir=/w", "--container-mounts=/a"));
        assertEquals(List.of(
                "pyxis: ignoring --container-mounts" + TAIL,
                "pyxis: ignoring --container-workdir" + TAIL,
                "pyxis: ignoring --container-save" + TAIL,
                "pyxis: ignoring --[no-]container-mount-home" + TAIL,
                "pyxis: ignoring --[no-]container-remap-root" + TAIL,
                "pyxis: ignoring --[no-]container-entrypoint" + TAIL,
                "pyxis: ignoring --container-entrypoint-log" + TAIL,
                "pyxis: ignoring --container-readonly" + TAIL), warnings.stream().map(Diagnostic::text).toList());
        assertTrue(warnings.stream().allMatch(w -> w.severity() == Severity.ERROR));
    }

    @Test
    @DisplayName("--container-writable is warned about by its own name")
    void writableWarning() {
        assertEquals(List.of("pyxis: ignoring --container-writable" + TAIL),
                IgnoredOptions.warnings(parse("--container-writable")).stream().map(Diagnostic::text).toList());
    }

    @Test
    @DisplayName("--container-env and --container-unshare are not warned about")
    void envAndUnshareSilent() {
        assertTrue(IgnoredOptions.warnings(parse("--container-env=A", "--container-unshare=net")).isEmpty());
    }

    @Test
    @DisplayName("no warning at all once an image or a name is set")
    void noWarningWhenEnabled() {
        assertTrue(IgnoredOptions.warnings(parse("--container-name=x", "--container-mounts=/a")).isEmpty());
    }
}
