package dev.jpyxis.simulator.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/** Paths and whole files on a simulated node's in-memory disk. */
public final class DiskFiles {

    private DiskFiles() {
    }

    // whole-file reads and writes: buffered readers and writers cost more than the tiny files they handle

    /** Creates a directory and its parents unless it exists (Files.createDirectories throws internally when it does). */
    public static void directory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
        }
    }

    /** Deletes a directory tree, depth first. */
    static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failed) throws IOException {
                    if (failed != null) {
                        throw failed;
                    }
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> readLines(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).lines().toList();
    }

    static void writeLines(Path file, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** A path inside a root, never outside it. */
    public static Path inside(Path root, String path) {
        if (isNormalAbsolute(path)) {
            return path.length() == 1 ? root : root.resolve(path.substring(1));
        }
        Path normalized = root.getFileSystem().getPath("/").resolve(path).normalize();
        return root.resolve(normalized.toString().substring(1));
    }

    /** Absolute, without empty, {@code .} or {@code ..} components: nothing to normalize (the common case). */
    private static boolean isNormalAbsolute(String path) {
        if (!path.startsWith("/") || path.contains("//") || path.contains("/./") || path.contains("/../")) {
            return false;
        }
        return !(path.endsWith("/.") || path.endsWith("/..") || (path.length() > 1 && path.endsWith("/")));
    }
}
