package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The submit check's answers kept in the user's cache directory for the shim to replay. Best effort: an answer that
 * cannot be kept is simply asked for again next time.
 */
final class Verdicts {

    /** Beyond this many kept answers, the least recently written go. */
    static final int KEPT = 256;

    private Verdicts() {
    }

    static void keep(Path file, Message answer) {
        try {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
            Path partial = Files.createTempFile(directory, ".verdict", ".partial", PosixFilePermissions
                    .asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(partial, MessageCodec.encode(answer));
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            prune(directory);
        } catch (IOException | RuntimeException unwritable) {
            // a home without room or rights: the check runs again next time
        }
    }

    private static void prune(Path directory) throws IOException {
        List<Path> kept;
        try (Stream<Path> files = Files.list(directory)) {
            kept = files.filter(f -> f.getFileName().toString().startsWith("submit-")).toList();
        }
        if (kept.size() <= KEPT) {
            return;
        }
        List<Path> oldestFirst = kept.stream().sorted(Comparator.comparing(Verdicts::modified)).toList();
        for (Path old : oldestFirst.subList(0, kept.size() - KEPT)) {
            Files.deleteIfExists(old);
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException gone) {
            return FileTime.fromMillis(0);
        }
    }
}
