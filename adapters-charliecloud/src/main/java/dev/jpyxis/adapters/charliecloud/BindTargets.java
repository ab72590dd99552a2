package dev.jpyxis.adapters.charliecloud;

import dev.jpyxis.domain.message.PyxisException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * {@code ch-run --bind} and a mount in the container need their target to exist, and a read-only image cannot grow
 * one. The unpacked image belongs to the user, so the target is made beforehand, as enroot's {@code x-create} would:
 * a directory, an empty file, or (auto) whichever the source is.
 */
final class BindTargets {

    /** What {@code x-create} asks for. */
    enum Create { NOTHING, DIRECTORY, FILE, AUTO }

    private BindTargets() {
    }

    /**
     * @param hostTarget where the target is on the host (in the unpacked image, or below a bind mount's source)
     * @param source     the mount's source on the host, for {@link Create#AUTO}
     * @param target     the target as the user wrote it, for messages
     */
    static void create(Path hostTarget, Create create, Path source, String target) {
        try {
            if (create == Create.NOTHING || Files.exists(hostTarget, LinkOption.NOFOLLOW_LINKS)) {
                return;
            }
            if (create == Create.DIRECTORY || create == Create.AUTO && Files.isDirectory(source)) {
                Files.createDirectories(hostTarget);
            } else {
                Files.createDirectories(hostTarget.getParent());
                Files.createFile(hostTarget);
            }
        } catch (IOException e) {
            throw new PyxisException("pyxis: --container-mounts: cannot create " + target + " in the container: "
                    + e.getMessage());
        }
    }
}
