package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("a subcommand's own options, read one way for every subcommand")
class ToolArgumentsTest {

    private static ToolArguments read(ToolArguments.Rest rest, String... args) {
        return ToolArguments.read(List.of(args), Set.of("--seed", "--config"), Set.of("--json"), rest);
    }

    private static String refusal(ToolArguments.Rest rest, String... args) {
        return assertThrows(CommandLineException.class, () -> read(rest, args)).getMessage();
    }

    @Test
    @DisplayName("--name=value and --name value are the same; the last one wins")
    void bothForms() {
        assertEquals(Optional.of(7L), read(ToolArguments.Rest.OPERANDS, "--seed=7").number("--seed"));
        assertEquals(Optional.of(7L), read(ToolArguments.Rest.OPERANDS, "--seed", "7").number("--seed"));
        assertEquals(Optional.of(""), read(ToolArguments.Rest.OPERANDS, "--config=").value("--config"));
        assertEquals(Optional.of(2L), read(ToolArguments.Rest.OPERANDS, "--seed=1", "--seed", "2").number("--seed"));
    }

    @Test
    @DisplayName("operands anywhere, -- ends the options, -h is --help")
    void operands() {
        ToolArguments read = read(ToolArguments.Rest.OPERANDS, "a.yaml", "--json", "b.yaml", "--", "--c.yaml");
        assertEquals(List.of("a.yaml", "b.yaml", "--c.yaml"), read.rest());
        assertTrue(read.flag("--json"));
        assertTrue(read(ToolArguments.Rest.NONE, "-h").help());
    }

    @Test
    @DisplayName("what follows the options is passed on, from the first argument that is not one of them")
    void passedOn() {
        assertEquals(List.of("--container-image=x", "--json"),
                read(ToolArguments.Rest.PASSED_ON, "--json", "--container-image=x", "--json").rest());
        assertEquals(List.of("--json"), read(ToolArguments.Rest.PASSED_ON, "--", "--json").rest());
    }

    @Test
    @DisplayName("mistakes are named")
    void mistakes() {
        assertEquals("--seed needs a value", refusal(ToolArguments.Rest.OPERANDS, "--seed"));
        assertEquals("--json takes no value", refusal(ToolArguments.Rest.OPERANDS, "--json=yes"));
        assertEquals("unknown option '--sed=7'", refusal(ToolArguments.Rest.OPERANDS, "--sed=7"));
        assertEquals("unexpected argument 'x'", refusal(ToolArguments.Rest.NONE, "x"));
        assertEquals("--seed needs a number, not 'x'", assertThrows(CommandLineException.class,
                () -> read(ToolArguments.Rest.OPERANDS, "--seed=x").number("--seed")).getMessage());
    }
}
