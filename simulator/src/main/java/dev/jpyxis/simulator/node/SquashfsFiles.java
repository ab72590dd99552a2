package dev.jpyxis.simulator.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Simulated squashfs files and unpacked root filesystems on a node's in-memory file system. A squashfs file is a
 * text file listing the image; an unpacked image is a directory tree with {@code /etc/environment} and the image's
 * metadata in {@code /.jpyxis-image}.
 */
public final class SquashfsFiles {

    static final String MAGIC = "#jpyxis-simulated-squashfs";
    static final String METADATA = ".jpyxis-image";

    private SquashfsFiles() {
    }

    public static void write(Path file, SimulatedImage image) {
        try {
            DiskFiles.directory(file.toAbsolutePath().getParent());
            Files.writeString(file, text(image));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's content for an image. */
    static String text(SimulatedImage image) {
        List<String> lines = new ArrayList<>();
        lines.add(MAGIC);
        lines.add("workdir " + image.workdir());
        image.environment().forEach((k, v) -> lines.add("env " + k + "=" + v));
        image.entrypointEnvironment().forEach((k, v) -> lines.add("entrypoint-env " + k + "=" + v));
        image.entrypointOutput().forEach(line -> lines.add("entrypoint-output " + line));
        image.files().forEach((path, content) -> lines.add("file " + path + " "
                + Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))));
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        return text.toString();
    }

    /** @return the image, or null when the file is not a (simulated) squashfs file */
    public static SimulatedImage read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                return null;
            }
            List<String> lines = DiskFiles.readLines(file);
            if (lines.isEmpty() || !lines.get(0).equals(MAGIC)) {
                return null;
            }
            return parse(lines.subList(1, lines.size()), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SimulatedImage parse(List<String> lines, boolean withFiles) {
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> entrypointEnv = new LinkedHashMap<>();
        List<String> output = new ArrayList<>();
        String workdir = "/";
        for (String line : lines) {
            int space = line.indexOf(' ');
            String key = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space + 1);
            switch (key) {
                case "workdir" -> workdir = rest;
                case "env" -> put(env, rest);
                case "entrypoint-env" -> put(entrypointEnv, rest);
                case "entrypoint-output" -> output.add(rest);
                case "file" -> {
                    if (withFiles) {
                        int sep = rest.lastIndexOf(' ');
                        files.put(rest.substring(0, sep), new String(Base64.getDecoder().decode(rest.substring(sep + 1)),
                                StandardCharsets.UTF_8));
                    }
                }
                default -> { }
            }
        }
        return new SimulatedImage(files, env, workdir, entrypointEnv, output);
    }

    private static void put(Map<String, String> map, String entry) {
        int equals = entry.indexOf('=');
        map.put(entry.substring(0, equals), entry.substring(equals + 1));
    }

    /** Unpacks an image into a directory, as {@code enroot create} does. */
    public static void unpack(SimulatedImage image, Path root) {
        try {
            DiskFiles.directory(root);
            for (var file : image.files().entrySet()) {
                Path target = DiskFiles.inside(root, file.getKey());
                DiskFiles.directory(target.getParent());
                Files.writeString(target, file.getValue(), StandardCharsets.UTF_8);
            }
            DiskFiles.directory(DiskFiles.inside(root, image.workdir()));
            DiskFiles.directory(root.resolve("etc"));
            List<String> environment = new ArrayList<>();
            image.environment().forEach((k, v) -> environment.add(k + "=" + v));
            DiskFiles.writeLines(root.resolve("etc/environment"), environment);
            List<String> metadata = new ArrayList<>();
            metadata.add("workdir " + image.workdir());
            image.entrypointEnvironment().forEach((k, v) -> metadata.add("entrypoint-env " + k + "=" + v));
            image.entrypointOutput().forEach(line -> metadata.add("entrypoint-output " + line));
            DiskFiles.writeLines(root.resolve(METADATA), metadata);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What an unpacked directory holds, as an image again (for exports). */
    public static SimulatedImage pack(Path root) {
        try {
            SimulatedImage meta = parse(DiskFiles.readLines(root.resolve(METADATA)), false);
            Map<String, String> environment = new LinkedHashMap<>();
            for (String line : DiskFiles.readLines(root.resolve("etc/environment"))) {
                if (line.indexOf('=') > 0) {
                    put(environment, line);
                }
            }
            Map<String, String> files = new LinkedHashMap<>();
            try (Stream<Path> paths = Files.walk(root)) {
                for (Path path : paths.filter(Files::isRegularFile).sorted().toList()) {
                    String relative = "/" + root.relativize(path).toString();
                    if (!relative.equals("/" + METADATA) && !relative.equals("/etc/environment")) {
                        files.put(relative, Files.readString(path, StandardCharsets.UTF_8));
                    }
                }
            }
            return new SimulatedImage(files, environment, meta.workdir(), meta.entrypointEnvironment(),
                    meta.entrypointOutput());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The image metadata of an unpacked directory (workdir and entrypoint), without its files or environment. */
    public static SimulatedImage metadata(Path root) {
        try {
            return parse(DiskFiles.readLines(root.resolve(METADATA)), false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
