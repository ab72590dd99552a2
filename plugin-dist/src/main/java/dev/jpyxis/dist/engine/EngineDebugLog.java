package dev.jpyxis.dist.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.domain.config.InvalidConfigurationException;
import dev.jpyxis.domain.config.PluginConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;

/**
 * The engine's debug log, kept when the plugstack line sets {@code engine_debug}: a step or epilog engine appends to
 * {@code <runtime_path>/<uid>/engine.log} every message of its control channel, both ways, and whatever it prints on
 * stderr (errors with their stack traces). The first request carries the plugstack line, so the log opens once it
 * has been read; until then, and when the key is off, the channel passes through untouched.
 */
final class EngineDebugLog {

    static final String FILE_NAME = "engine.log";

    /**
     * The log's time stamps, made when the first line is written: building a formatter costs a fresh JVM 10 to 30 ms
     * of the JDK's date and time classes, which an engine without a log must not pay.
     */
    private static final class Stamps {
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    }

    private final String mode;
    private final long uid;
    private PrintStream log;
    private boolean decided;
    private volatile boolean ended;

    /**
     * @param mode the engine's mode; only {@code step} and {@code epilog} engines, which run on a node as the job user,
     *             keep a log
     * @param uid  the user the engine runs as
     */
    EngineDebugLog(String mode, long uid) {
        this.mode = mode;
        this.uid = uid;
    }

    /** The user this process runs as, from {@code /proc/self/status}; -1 when it cannot be read. */
    static long currentUid() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return Long.parseLong(line.substring(4).strip().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // no log then
        }
        return -1;
    }

    /** The request channel, read through this log. */
    InputStream requests(InputStream in) {
        return new FilterInputStream(in) {
            private final Frames frames = new Frames("<");

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    frames.add(b);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                for (int i = 0; i < n; i++) {
                    frames.add(buffer[offset + i]);
                }
                return n;
            }
        };
    }

    /** The answer channel, written through this log. */
    OutputStream answers(OutputStream out) {
        return new FilterOutputStream(out) {
            private final Frames frames = new Frames(">");

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                frames.add(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                out.write(bytes, offset, length);
                for (int i = 0; i < length; i++) {
                    frames.add(bytes[offset + i]);
                }
            }
        };
    }

    /** Whether the log is open. */
    boolean open() {
        return log != null;
    }

    /** Bytes of one direction, cut into messages at their end (an empty field). */
    private final class Frames {
        private final String direction;
        private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
        private boolean fieldEnded = true;

        Frames(String direction) {
            this.direction = direction;
        }

        void add(int b) {
            if (decided && log == null) {
                return;
            }
            frame.write(b);
            boolean end = b == 0 && fieldEnded;
            fieldEnded = b == 0;
            if (end) {
                message(direction, frame.toByteArray());
                frame.reset();
            }
        }
    }

    private void message(String direction, byte[] bytes) {
        Message message;
        try {
            message = MessageCodec.read(new ByteArrayInputStream(bytes));
        } catch (IOException | RuntimeException malformed) {
            if (log != null) {
                line(direction + " (not a message: " + malformed.getMessage() + ")");
            }
            return;
        }
        if (!decided) {
            decided = true;
            openFor(message);
        }
        if (log != null) {
            line(direction + " " + message.fields().stream().map(field -> field.key() + "=" + field.value())
                    .collect(Collectors.joining(" | ")));
        }
    }

    /** Opens the log when the first request's plugstack line asks for it, and copies stderr into it. */
    private void openFor(Message first) {
        if (!mode.equals("step") && !mode.equals("epilog")) {
            return;
        }
        PluginConfig config;
        try {
            config = PluginConfig.parse(first.all("config"));
        } catch (InvalidConfigurationException unreadable) {
            return;
        }
        if (!config.engineDebug()) {
            return;
        }
        Path directory = Path.of(config.runtimePath(), Long.toString(uid));
        if (!Files.isDirectory(directory)) {
            return;
        }
        try {
            OutputStream file = Files.newOutputStream(directory.resolve(FILE_NAME), StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            log = new PrintStream(file, true, StandardCharsets.UTF_8);
        } catch (IOException unwritable) {
            System.err.println("pyxis: engine_debug: cannot write " + directory.resolve(FILE_NAME) + ": "
                    + unwritable.getMessage());
            return;
        }
        line("engine " + mode + " started, pid " + ProcessHandle.current().pid() + ", uid " + uid + ", Java "
                + Runtime.version());
        // slurmstepd kills a step's engine with the step's other processes: SIGTERM leaves a line, SIGKILL none
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!ended) {
                line("engine " + mode + " stopped by a signal");
            }
        }, "engine-debug-log"));
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                stderr.write(b);
                log.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                stderr.write(bytes, offset, length);
                log.write(bytes, offset, length);
            }
        }, true, StandardCharsets.UTF_8));
    }

    /** Notes how the engine ended. */
    void ended(Throwable failure) {
        if (log == null) {
            return;
        }
        ended = true;
        if (failure == null) {
            line("engine " + mode + " ended");
        } else {
            line("engine " + mode + " failed: " + failure);
            failure.printStackTrace(log);
        }
    }

    private void line(String text) {
        log.println(LocalDateTime.now().format(Stamps.TIME) + " [" + ProcessHandle.current().pid() + "] " + text);
    }
}
