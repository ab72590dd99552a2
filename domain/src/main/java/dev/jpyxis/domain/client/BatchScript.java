package dev.jpyxis.domain.client;

import dev.jpyxis.domain.port.in.SubmitCommand;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code #SBATCH} directives of a batch script, read as Slurm 22.05's sbatch reads them: only lines that begin
 * with {@code #SBATCH}, up to the first line that is neither blank nor a comment; words split at blanks, quotes
 * group and are removed, a backslash keeps the next character, an unquoted {@code #} ends the line. The words are then
 * options, as on sbatch's command line, and come before it.
 */
public final class BatchScript {

    private static final String DIRECTIVE = "#SBATCH";

    private BatchScript() {
    }

    /**
     * The options of a script's directives.
     *
     * @param name the script's file name, as given to sbatch (its last component appears in messages)
     * @throws RefusedCommandLineException with sbatch's text, for a script sbatch refuses before reading options
     *                                     (empty, DOS line breaks, no {@code #!} line, an unmatched quote) or for
     *                                     directives it refuses
     */
    public static ClientCommandLine options(String name, String text, boolean containerOptionsRegistered) {
        ClientCommandLine read = ClientCommandLine.read(SubmitCommand.SBATCH, words(name, text),
                containerOptionsRegistered);
        if (!read.operands().isEmpty()) {
            throw error("error: Invalid directive found in batch script: " + read.operands().get(0));
        }
        return read;
    }

    /** The words of every directive, in order. */
    static List<String> words(String name, String text) {
        if (text.isEmpty()) {
            throw error("error: Batch script is empty!");
        }
        if (text.contains("\r\n")) {
            throw error("error: Batch script contains DOS line breaks (\\r\\n)",
                    "error: instead of expected UNIX line breaks (\\n).");
        }
        if (!text.startsWith("#!")) {
            throw error("error: This does not look like a batch script.  The first",
                    "error: line must start with #! followed by the path to an interpreter.",
                    "error: For instance: #!/bin/sh");
        }
        List<String> words = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int number = 2; number <= lines.length; number++) {
            String line = lines[number - 1];
            if (line.startsWith(DIRECTIVE)) {
                directiveWords(line.substring(DIRECTIVE.length()), baseName(name), number, words);
            } else if (!line.isBlank() && !line.strip().startsWith("#")) {
                break;
            }
        }
        return words;
    }

    /** Splits the text after {@code #SBATCH} into words. */
    private static void directiveWords(String rest, String file, int number, List<String> words) {
        int i = 0;
        while (i < rest.length() && isBlank(rest.charAt(i))) {
            i++;
        }
        int start = i;
        while (i < rest.length()) {
            StringBuilder word = new StringBuilder();
            char quote = 0;
            boolean escaped = false;
            for (; i < rest.length() && (quote != 0 || !isBlank(rest.charAt(i))); i++) {
                char c = rest.charAt(i);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                    continue;
                } else if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                        continue;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                    continue;
                } else if (c == '#') {
                    // an unquoted # starts a comment: the rest of the line is not read
                    addWord(words, word);
                    return;
                }
                word.append(c);
            }
            if (quote != 0) {
                throw error("fatal: " + file + ": line " + number + ": Unmatched `" + quote + "` in ["
                        + rest.substring(start) + "]");
            }
            addWord(words, word);
            start = i;
            while (i < rest.length() && isBlank(rest.charAt(i))) {
                i++;
            }
        }
    }

    private static void addWord(List<String> words, StringBuilder word) {
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\u000b' || c == '\f' || c == '\r';
    }

    private static String baseName(String name) {
        String trimmed = name.endsWith("/") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static RefusedCommandLineException error(String... lines) {
        List<String> prefixed = new ArrayList<>();
        for (String line : lines) {
            prefixed.add("sbatch: " + line);
        }
        return new RefusedCommandLineException(prefixed);
    }
}
