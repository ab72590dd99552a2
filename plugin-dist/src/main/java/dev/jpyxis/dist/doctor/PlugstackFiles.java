package dev.jpyxis.dist.doctor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Slurm's plugstack.conf as Slurm reads it: the file slurm.conf's {@code PlugStackConfig} names (by default
 * {@code plugstack.conf} beside slurm.conf), {@code include} lines with glob patterns, and plugin lines
 * {@code required|optional PATH ARGUMENTS...}; {@code #} starts a comment.
 */
final class PlugstackFiles {

    /** Deeper includes than this are taken for a loop. */
    private static final int MAX_DEPTH = 8;

    /** A plugin line, with where it was read. */
    record PluginLine(Path file, int number, String keyword, String path, List<String> arguments) {

        String where() {
            return file + ":" + number;
        }

        String text() {
            return keyword + " " + path + (arguments.isEmpty() ? "" : " " + String.join(" ", arguments));
        }
    }

    private PlugstackFiles() {
    }

    /** The plugstack.conf a slurm.conf leads to. */
    static Path of(Path slurmConf) throws IOException {
        Path directory = slurmConf.toAbsolutePath().getParent();
        if (Files.isReadable(slurmConf)) {
            for (String line : Files.readAllLines(slurmConf, StandardCharsets.UTF_8)) {
                Optional<String> value = setting(line, "PlugStackConfig");
                if (value.isPresent()) {
                    Path named = Path.of(value.get());
                    return named.isAbsolute() ? named : directory.resolve(named);
                }
            }
        }
        return directory.resolve("plugstack.conf");
    }

    /** The value of a {@code Key=value} line of slurm.conf, whose keys ignore case. */
    static Optional<String> setting(String line, String key) {
        String text = withoutComment(line).strip();
        int equals = text.indexOf('=');
        if (equals < 0 || !text.substring(0, equals).strip().toLowerCase(Locale.ROOT)
                .equals(key.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        return Optional.of(text.substring(equals + 1).strip());
    }

    /** Every plugin line of the file and of the files it includes, in order. */
    static List<PluginLine> pluginLines(Path plugstack) throws IOException {
        List<PluginLine> lines = new ArrayList<>();
        read(plugstack, 0, lines);
        return lines;
    }

    private static void read(Path file, int depth, List<PluginLine> lines) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IOException("includes nested deeper than " + MAX_DEPTH + " at " + file);
        }
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int number = 1; number <= text.size(); number++) {
            List<String> words = Arrays.stream(withoutComment(text.get(number - 1)).strip().split("\\s+"))
                    .filter(word -> !word.isEmpty()).toList();
            if (words.isEmpty()) {
                continue;
            }
            if (words.get(0).equals("include") && words.size() == 2) {
                for (Path included : glob(file.toAbsolutePath().getParent(), words.get(1))) {
                    read(included, depth + 1, lines);
                }
            } else if (words.size() >= 2) {
                lines.add(new PluginLine(file, number, words.get(0), words.get(1), words.subList(2, words.size())));
            }
        }
    }

    /** The files a pattern such as {@code /etc/slurm/plugstack.conf.d/*.conf} matches, sorted as glob(3) sorts. */
    static List<Path> glob(Path base, String pattern) throws IOException {
        Path full = base.resolve(pattern);
        Path directory = full.getParent();
        String name = full.getFileName().toString();
        if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
            return Files.isRegularFile(full) ? List.of(full) : List.of();
        }
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, name)) {
            entries.forEach(matches::add);
        }
        return matches.stream().filter(Files::isRegularFile).sorted().toList();
    }

    private static String withoutComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}
