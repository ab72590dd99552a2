package dev.jpyxis.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.in.HookOutcome;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("slurmd's start: the plugstack line is read once")
class ConfigurationCheckerTest {

    private final ConfigurationChecker checker = new ConfigurationChecker();

    @Test
    @DisplayName("a readable line passes silently")
    void readable() {
        assertEquals(HookOutcome.nothing(), checker.check(List.of("container_scope=job", "runtime=charliecloud")));
    }

    @Test
    @DisplayName("an unknown key fails with pyxis's lines")
    void unknownKey() {
        assertEquals(new HookOutcome(List.of(Diagnostic.error("pyxis: unknown configuration option: colour=blue"),
                Diagnostic.error("pyxis: failed to parse configuration")), true),
                checker.check(List.of("colour=blue")));
    }
}
