package dev.jpyxis.adapters.charliecloud;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an unpacked image says about how it runs: its environment ({@code /ch/environment} of ch-image images, else
 * {@code /etc/environment} as enroot writes it) and its working directory ({@code "cwd"} of
 * {@code /ch/metadata.json}, else {@code /}).
 */
record ImageMetadata(Optional<Path> environmentFile, String workingDirectory) {

    private static final Pattern CWD = Pattern.compile("\"cwd\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

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
        return new ImageMetadata(environment, cwd);
    }
}
