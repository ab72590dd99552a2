package dev.jpyxis.adapters.charliecloud;

import dev.jpyxis.domain.message.PyxisException;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * A directory of one user's among other users' names (as {@code /var/tmp/<user>.jpyxis}): made 0700 without following
 * a link, and used only while it is a real directory of that user that nobody else may write to.
 *
 * <p>Why: a predictable name in a world-writable directory can be created first by another user, who would then plant
 * the containers (and their environment) the victim runs. {@code /var/tmp} is sticky: once the directory is checked,
 * only its owner (or root) can rename or replace it.
 */
final class OwnDirectory {

    private static final Set<PosixFilePermission> OTHERS_WRITE = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);

    private final Path path;
    private final long uid;

    OwnDirectory(Path path, long uid) {
        this.path = path;
        this.uid = uid;
    }

    Path path() {
        return path;
    }

    /** Makes the directory when it is missing; either way returns it once it is the user's own. */
    Path ensure() {
        try {
            Files.createDirectory(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (FileAlreadyExistsException exists) {
            // checked below, never followed
        } catch (IOException e) {
            throw new PyxisException("pyxis: couldn't create " + path + ": " + e.getMessage());
        }
        if (existing().isEmpty()) {
            throw new PyxisException("pyxis: " + path + " disappeared while it was being created");
        }
        return path;
    }

    /** The directory when it exists and is the user's own; empty when it does not exist. */
    Optional<Path> existing() {
        PosixFileAttributes attributes;
        long owner;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            owner = ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException | UnsupportedOperationException e) {
            throw new PyxisException("pyxis: couldn't check " + path + ": " + e.getMessage());
        }
        if (attributes.isSymbolicLink() || !attributes.isDirectory()) {
            throw refused(attributes.isSymbolicLink() ? "a symbolic link" : "not a directory",
                    "remove it (ask an admin when it is not yours)");
        }
        if (owner != uid) {
            throw refused("owned by uid " + owner + ", not by uid " + uid,
                    "ask an admin to remove it: another user may have planted it");
        }
        if (attributes.permissions().stream().anyMatch(OTHERS_WRITE::contains)) {
            throw refused("writable by others (mode " + PosixFilePermissions.toString(attributes.permissions()) + ")",
                    "run chmod go-w " + path + " and check what it holds");
        }
        return Optional.of(path);
    }

    private PyxisException refused(String what, String fix) {
        return new PyxisException("pyxis: refusing to use " + path + ": " + what + "; " + fix);
    }

    /** The effective uid of this process (the engine runs as the job user), from {@code /proc/self/status}. */
    static long currentUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).trim().split("\\s+")[1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new PyxisException("pyxis: couldn't read this process's uid: " + e.getMessage());
        }
        throw new PyxisException("pyxis: couldn't read this process's uid: no Uid line in /proc/self/status");
    }
}
