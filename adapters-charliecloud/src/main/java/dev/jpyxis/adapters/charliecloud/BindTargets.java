package dev.jpyxis.adapters.charliecloud;

import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.port.out.FstabEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * {@code ch-run --bind} needs its destination to exist in the image, and a read-only image cannot grow one. The
 * unpacked image belongs to the user, so the destination is made beforehand, as enroot's {@code x-create=auto}
 * would: a directory for a directory, an empty file for a file.
 */
final class BindTargets {

    private BindTargets() {
    }

    static void prepare(Path root, FstabEntry mount, Path workingDirectory) {
        Path source = workingDirectory.resolve(mount.source());
        Path inside = Path.of("/").resolve(mount.target()).normalize();
        Path target = root.resolve(Path.of("/").relativize(inside).toString());
        if (!target.normalize().startsWith(root)) {
            throw new PyxisException("pyxis: --container-mounts: target escapes the container: " + mount.target());
        }
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (Files.isDirectory(source)) {
                Files.createDirectories(target);
            } else {
                Files.createDirectories(target.getParent());
                Files.createFile(target);
            }
        } catch (IOException e) {
            throw new PyxisException("pyxis: --container-mounts: cannot create " + mount.target()
                    + " in the container: " + e.getMessage());
        }
    }
}
