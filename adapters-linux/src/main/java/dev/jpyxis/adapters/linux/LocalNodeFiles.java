package dev.jpyxis.adapters.linux;

import dev.jpyxis.domain.port.out.PathProbe;
import dev.jpyxis.domain.port.out.NodeFiles;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;

/** The node's own file system, as the job user sees it. */
public final class LocalNodeFiles implements NodeFiles {

    @Override
    public PathProbe probe(String path) {
        try {
            Files.readAttributes(Path.of(path), BasicFileAttributes.class);
            return PathProbe.exists();
        } catch (NoSuchFileException missing) {
            return PathProbe.missing();
        } catch (FileSystemException e) {
            if ("Not a directory".equals(e.getReason())) {
                return PathProbe.missing();
            }
            return PathProbe.unreadable(ProcContainerProcesses.reason(e));
        } catch (IOException e) {
            return PathProbe.unreadable(ProcContainerProcesses.reason(e));
        }
    }

    @Override
    public Optional<String> delete(String path) {
        try {
            Path file = Path.of(path);
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(file);
            }
            return Optional.empty();
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(ProcContainerProcesses.reason(e));
        }
    }
}
