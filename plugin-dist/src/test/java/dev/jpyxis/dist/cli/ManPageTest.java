package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("the manual page is made of the help texts")
class ManPageTest {

    private static final String PAGE = ManPage.render("9.8.7");

    @Test
    @DisplayName("every line of the general help and of every command's help is in the page, in order")
    void helpTextsAreThePage() {
        assertLinesInOrder(JpyxisCommand.USAGE);
        for (Map.Entry<String, String> command : JpyxisCommand.commandHelp().entrySet()) {
            assertTrue(PAGE.contains(".SS " + command.getKey() + "\n"), command.getKey());
            assertLinesInOrder(command.getValue());
        }
    }

    private static void assertLinesInOrder(String help) {
        int from = 0;
        for (String line : help.lines().filter(line -> !line.isBlank()).toList()) {
            int at = PAGE.indexOf("\n" + ManPage.escape(line) + "\n", from);
            assertTrue(at >= 0, "missing from the page: " + line);
            from = at + 1;
        }
    }

    @Test
    @DisplayName("a man page header with the version, and nothing roff would read as a request")
    void form() {
        assertTrue(PAGE.contains(".TH JPYXIS 1 \"\" \"jpyxis 9.8.7\" \"User Commands\"\n"), PAGE);
        List<String> requests = PAGE.lines().filter(line -> line.startsWith(".") || line.startsWith("'")).map(
                line -> line.split(" ")[0]).distinct().sorted().toList();
        assertEquals(List.of(".BR", ".I", ".SH", ".SS", ".TH", ".TP", ".\\\"", ".fi", ".nf"), requests);
        assertEquals("\\&.hidden \\e \\-\\-x", ManPage.escape(".hidden \\ --x"));
    }
}
