package dev.jpyxis.dist.engine;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The engine's control channel: the two pipes the shim hands over as descriptors 3 (requests) and 4 (answers), reopened
 * through {@code /proc/self/fd}. Each must be a pipe: an engine started by hand has other files there (the JDK's own
 * module image, opened by the JVM itself), and opening one of those for writing would damage it, all the more as root.
 * Answers are opened without creating or truncating anything.
 */
final class ControlChannel {

    static final Path REQUESTS = Path.of("/proc/self/fd/3");
    static final Path ANSWERS = Path.of("/proc/self/fd/4");

    private static final int FILE_TYPE = 0170000;
    private static final int PIPE = 0010000;

    private ControlChannel() {
    }

    /** Thrown when a descriptor is not the shim's pipe: the engine was not started by {@code spank_pyxis.so}. */
    static final class NotThePlugin extends IOException {
        private static final long serialVersionUID = 1L;

        NotThePlugin(String message) {
            super(message);
        }
    }

    static InputStream requests(Path descriptor) throws IOException {
        return new FileInputStream(pipe(descriptor).toFile());
    }

    static OutputStream answers(Path descriptor) throws IOException {
        return Files.newOutputStream(pipe(descriptor), StandardOpenOption.WRITE);
    }

    private static Path pipe(Path descriptor) throws IOException {
        int mode;
        try {
            mode = (Integer) Files.getAttribute(descriptor, "unix:mode");
        } catch (NoSuchFileException closed) {
            throw new NotThePlugin(descriptor + " is not open: the engine is started by spank_pyxis.so, not by hand");
        }
        if ((mode & FILE_TYPE) != PIPE) {
            throw new NotThePlugin(descriptor + " is not a pipe from spank_pyxis.so: the engine is started by the"
                    + " plugin, not by hand (nothing was opened)");
        }
        return descriptor;
    }
}
