package dev.jpyxis.adapters.charliecloud;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an unpacked image says about how it runs: its environment ({@code /ch/environment} of ch-image images, else
 * {@code /etc/environment} as enroot writes it), its working directory ({@code "cwd"} of {@code /ch/metadata.json},
 * else {@code /}) and its entrypoint: the {@code Entrypoint} of the registry's configuration, which ch-image keeps in
 * {@code /ch/config.pulled.json}, else enroot's {@code /etc/rc} in an image enroot imported (which runs the image's
 * entrypoint in its working directory, as {@code enroot start} does), else none.
 */
record ImageMetadata(Optional<Path> environmentFile, String workingDirectory, List<String> entrypoint) {

    private static final Pattern CWD = Pattern.compile("\"cwd\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** The first line of the {@code /etc/rc} that {@code enroot import} writes. */
    private static final String ENROOT_PROVENANCE = "# enroot-provenance:";

    ImageMetadata {
        entrypoint = List.copyOf(entrypoint);
    }

    static ImageMetadata of(Path root) {
        Optional<Path> environment = Optional.empty();
        for (String candidate : new String[] {"ch/environment", "etc/environment"}) {
            Path file = root.resolve(candidate);
            if (Files.isRegularFile(file)) {
                environment = Optional.of(file);
                break;
            }
        }
        String cwd = "/";
        Path metadata = root.resolve("ch/metadata.json");
        if (Files.isRegularFile(metadata)) {
            try {
                Matcher matcher = CWD.matcher(Files.readString(metadata));
                if (matcher.find() && matcher.group(1).startsWith("/")) {
                    cwd = matcher.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
                }
            } catch (IOException unreadable) {
                // no metadata: the image runs in /
            }
        }
        return new ImageMetadata(environment, cwd, entrypoint(root));
    }

    private static List<String> entrypoint(Path root) {
        Path pulled = root.resolve("ch/config.pulled.json");
        if (Files.isRegularFile(pulled)) {
            try {
                if (JsonText.parse(Files.readString(pulled, StandardCharsets.UTF_8)) instanceof Map<?, ?> image
                        && image.get("config") instanceof Map<?, ?> config
                        && config.get("Entrypoint") instanceof List<?> words) {
                    List<String> entrypoint = new ArrayList<>();
                    words.forEach(word -> entrypoint.add(String.valueOf(word)));
                    return entrypoint;
                }
                return List.of();
            } catch (IOException | IllegalArgumentException unreadable) {
                // as without a configuration: enroot's rc script, if any
            }
        }
        Path rc = root.resolve("etc/rc");
        try (var lines = Files.isRegularFile(rc) ? Files.lines(rc, StandardCharsets.UTF_8) : null) {
            if (lines != null && lines.findFirst().filter(line -> line.startsWith(ENROOT_PROVENANCE)).isPresent()) {
                return List.of("/bin/sh", "/etc/rc");
            }
        } catch (IOException | java.io.UncheckedIOException unreadable) {
            // no rc script: no entrypoint
        }
        return List.of();
    }
}
