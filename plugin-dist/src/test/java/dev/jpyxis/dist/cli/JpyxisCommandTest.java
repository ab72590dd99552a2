package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class JpyxisCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new JpyxisCommand(Environment.empty(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(args));
    }

    @Test
    void helpNamesEveryCommand() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("validate"));
        assertEquals(0, run("help"));
    }

    @Test
    void validateHelpExplainsExitStatuses() {
        assertEquals(0, run("validate", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("Usage: jpyxis validate"));
        assertTrue(help.contains("64  this command line is malformed"));
    }

    @Test
    void noCommandPrintsUsage() {
        assertEquals(64, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("Usage: jpyxis COMMAND"));
    }

    @Test
    void unknownCommand() {
        assertEquals(64, run("frobnicate"));
        assertEquals("jpyxis: unknown command 'frobnicate'\nRun 'jpyxis --help' for usage.\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void optionWithoutValue() {
        assertEquals(64, run("validate", "--config"));
        assertEquals("jpyxis validate: --config needs a value\nRun 'jpyxis help validate' for usage.\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void argumentsWithoutSeparatorAreReadAsSrunArguments() {
        assertEquals(0, run("validate", "--container-image=x"));
        assertEquals("--container-image=x\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void versionIsTheBuildsWithThePyxisReleaseItFollows() {
        assertEquals(0, run("--version"));
        assertTrue(out.toString(StandardCharsets.UTF_8).matches("jpyxis \\d+\\.\\d+\\.\\d+\\S*, pyxis 0\\.24 compatible\n"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpOfACommandIsThatCommandsHelp() {
        for (String command : JpyxisCommand.commandHelp().keySet()) {
            out.reset();
            assertEquals(0, run("help", command));
            assertEquals(JpyxisCommand.commandHelp().get(command), out.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage: jpyxis " + command), command);
        }
    }

    @Test
    void helpOfAnUnknownCommandNamesTheCommands() {
        assertEquals(64, run("help", "frobnicate"));
        assertEquals("jpyxis: no help for 'frobnicate': the commands are validate, simulate, doctor, install\n"
                + "Run 'jpyxis --help' for usage.\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void everyCommandIsInTheGeneralHelp() {
        assertEquals(0, run("help"));
        for (String command : JpyxisCommand.commandHelp().keySet()) {
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("\n  " + command + " "), command);
        }
    }
}
