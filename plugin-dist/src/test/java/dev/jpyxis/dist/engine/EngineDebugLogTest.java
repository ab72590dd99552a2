package dev.jpyxis.dist.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("engine_debug: the engine's own log on the node")
class EngineDebugLogTest {

    private static final long UID = 4242;
    private final PrintStream stderr = System.err;

    @TempDir
    Path runtimePath;

    @AfterEach
    void restoreStderr() {
        System.setErr(stderr);
    }

    private byte[] init(String... config) {
        Message.Builder init = Message.builder("init").add("protocol", MessageCodec.PROTOCOL_VERSION);
        for (String argument : config) {
            init.add("config", argument);
        }
        return MessageCodec.encode(init.add("uid", UID).build());
    }

    /** Reads the requests through the log as the engine does, answers once; returns what the engine read. */
    private byte[] converse(EngineDebugLog log, byte[] requests) throws IOException {
        InputStream in = log.requests(new ByteArrayInputStream(requests));
        byte[] read = in.readAllBytes();
        OutputStream out = log.answers(new ByteArrayOutputStream());
        MessageCodec.write(out, Message.builder("answer").add("status", "ok").add("log.debug", "pyxis: hello").build());
        return read;
    }

    @Test
    @DisplayName("with engine_debug, a step engine appends both directions to <runtime_path>/<uid>/engine.log")
    void logsBothDirections() throws IOException {
        Files.createDirectories(runtimePath.resolve(Long.toString(UID)));
        EngineDebugLog log = new EngineDebugLog("step", UID);
        byte[] requests = init("runtime_path=" + runtimePath, "engine_debug=1");
        assertArrayEquals(requests, converse(log, requests), "the channel passes through untouched");
        assertTrue(log.open());
        System.err.println("java.lang.IllegalStateException: boom");
        log.ended(null);
        List<String> lines = Files.readAllLines(runtimePath.resolve(UID + "/engine.log"));
        assertTrue(lines.get(0).endsWith("engine step started, pid " + ProcessHandle.current().pid() + ", uid "
                + UID + ", Java " + Runtime.version()), lines.get(0));
        assertTrue(lines.get(1).contains("] < msg=init | protocol=" + MessageCodec.PROTOCOL_VERSION + " | config=runtime_path="), lines.get(1));
        assertTrue(lines.get(2).contains("] > msg=answer | status=ok | log.debug=pyxis: hello"), lines.get(2));
        assertEquals("java.lang.IllegalStateException: boom", lines.get(3));
        assertTrue(lines.get(4).endsWith("engine step ended"), lines.get(4));
    }

    @Test
    @DisplayName("without the key, or for a submission, nothing is written")
    void offByDefault() throws IOException {
        Files.createDirectories(runtimePath.resolve(Long.toString(UID)));
        EngineDebugLog off = new EngineDebugLog("step", UID);
        converse(off, init("runtime_path=" + runtimePath));
        EngineDebugLog submit = new EngineDebugLog("submit", UID);
        converse(submit, init("runtime_path=" + runtimePath, "engine_debug=1"));
        assertFalse(off.open());
        assertFalse(submit.open());
        assertFalse(Files.exists(runtimePath.resolve(UID + "/engine.log")));
    }

    @Test
    @DisplayName("the user's runtime directory is the shim's to create: without it there is no log")
    void noDirectoryNoLog() throws IOException {
        EngineDebugLog log = new EngineDebugLog("epilog", UID);
        converse(log, init("runtime_path=" + runtimePath, "engine_debug=1"));
        assertFalse(log.open());
    }

    @Test
    @DisplayName("a failure is logged with its stack trace")
    void failure() throws IOException {
        Files.createDirectories(runtimePath.resolve(Long.toString(UID)));
        EngineDebugLog log = new EngineDebugLog("step", UID);
        converse(log, init("runtime_path=" + runtimePath, "engine_debug=true"));
        log.ended(new IOException("the peer closed the channel"));
        String text = Files.readString(runtimePath.resolve(UID + "/engine.log"));
        assertTrue(text.contains("engine step failed: java.io.IOException: the peer closed the channel"), text);
        assertTrue(text.contains("\tat dev.jpyxis.dist.engine.EngineDebugLogTest.failure"), text);
    }

    @Test
    @DisplayName("this process's uid comes from /proc")
    void uid() {
        assertTrue(EngineDebugLog.currentUid() >= 0);
    }
}
