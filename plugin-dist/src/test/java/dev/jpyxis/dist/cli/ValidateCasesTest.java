package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpyxis.domain.env.Environment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every valid and invalid case of the option and plugstack rules
 * (docs/pyxis-compatibility.md#option-grammar-and-errors, docs/pyxis-compatibility.md#plugstack-keys), through
 * {@code jpyxis validate} as a user runs it. The cases live in {@code validate-cases.txt}: each case is a title line
 * starting with {@code ##}, then {@code args:}, optional {@code env:} lines, {@code exit:}, and any {@code out:} and
 * {@code err:} lines, which must match stdout and stderr exactly.
 */
class ValidateCasesTest {

    record Case(String title, List<String> args, List<String> env, int exit, List<String> out, List<String> err) {
        @Override
        public String toString() {
            return title;
        }
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = ValidateCasesTest.class.getResourceAsStream("/validate-cases.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Case current = null;
            for (String line : text.split("\n")) {
                if (line.startsWith("## ")) {
                    current = new Case(line.substring(3), new ArrayList<>(), new ArrayList<>(), -1,
                            new ArrayList<>(), new ArrayList<>());
                    cases.add(Arguments.of(current));
                } else if (line.startsWith("args:")) {
                    current.args().addAll(ShellWords.split(line.substring(5)));
                } else if (line.startsWith("env:")) {
                    current.env().add(line.substring(4).strip());
                } else if (line.startsWith("exit:")) {
                    Case c = current;
                    current = new Case(c.title(), c.args(), c.env(), Integer.parseInt(line.substring(5).strip()),
                            c.out(), c.err());
                    cases.set(cases.size() - 1, Arguments.of(current));
                } else if (line.startsWith("out:")) {
                    current.out().add(afterLabel(line));
                } else if (line.startsWith("err:")) {
                    current.err().add(afterLabel(line));
                }
            }
        }
        return cases.stream();
    }

    /** The text after {@code out:} or {@code err:} and one space; trailing spaces are part of it. */
    private static String afterLabel(String line) {
        String text = line.substring(4);
        return text.startsWith(" ") ? text.substring(1) : text;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void validate(Case c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("validate"));
        args.addAll(c.args());
        int exit = new JpyxisCommand(Environment.fromEntries(c.env()), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        assertEquals(c.err(), lines(err), "stderr");
        assertEquals(c.out(), lines(out), "stdout");
        assertEquals(c.exit(), exit, "exit status");
    }

    private static List<String> lines(ByteArrayOutputStream stream) {
        String text = stream.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split("\n"));
    }
}
