package dev.jpyxis.adapters.slurm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HeartbeatTest {

    private static List<String> frames(byte[] bytes) throws IOException {
        List<String> types = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(bytes);
        for (;;) {
            try {
                types.add(MessageCodec.read(in).type());
            } catch (EOFException end) {
                return types;
            }
        }
    }

    /** Waits (up to 10 s, however busy the machine) until {@code count} frames were written. */
    private static void awaitFrames(ByteArrayOutputStream written, int count) throws Exception {
        for (int i = 0; i < 1000 && frames(written.toByteArray()).size() < count; i++) {
            Thread.sleep(10);
        }
    }

    @Test
    void aWaitingPeerHearsKeepAlivesUntilItIsAnswered() throws Exception {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        try (Heartbeat heartbeat = new Heartbeat(20, 10)) {
            Peer peer = heartbeat.watch(new Peer(written));
            Thread.sleep(100);
            assertEquals(List.of(), frames(written.toByteArray()), "a peer that asked nothing hears nothing");
            peer.awaitsAnswer();
            awaitFrames(written, 2);
            peer.send(Message.builder("init").add("status", "ok").build());
            int before = frames(written.toByteArray()).size();
            Thread.sleep(100);
            List<String> types = frames(written.toByteArray());
            assertEquals(before, types.size(), "an answered peer hears nothing more");
            assertTrue(types.size() >= 3, types.toString());
            assertEquals("init", types.get(types.size() - 1));
            assertTrue(types.subList(0, types.size() - 1).stream().allMatch("alive"::equals), types.toString());
        }
    }

    @Test
    void aPeerThatIsGoneIsDropped() {
        Peer peer = new Peer(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("gone");
            }
        });
        peer.awaitsAnswer();
        assertFalse(peer.keepAlive());
    }

    @Test
    void oneRequestIsAnsweredOnce() throws Exception {
        ByteArrayOutputStream answers = new ByteArrayOutputStream();
        OneRequest.serve(new ByteArrayInputStream(MessageCodec.encode(Message.builder("config").build())), answers,
                request -> Message.builder(request.type()).add("status", "ok").build());
        assertEquals(List.of("config"), frames(answers.toByteArray()));
    }

    @Test
    void everyTickRunsWhatAskedForTicksAndKeepAlivesComeEveryFewTicks() throws Exception {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        java.util.concurrent.atomic.AtomicInteger ticks = new java.util.concurrent.atomic.AtomicInteger();
        try (Heartbeat heartbeat = new Heartbeat(100, 10)) {
            heartbeat.onTick(ticks::incrementAndGet);
            heartbeat.watch(new Peer(written)).awaitsAnswer();
            for (int i = 0; i < 1000 && ticks.get() < 10; i++) {
                Thread.sleep(10); // a busy machine may take longer than ten ticks' time to run ten ticks
            }
        }
        int alive = frames(written.toByteArray()).size();
        assertTrue(ticks.get() >= 10, "ticks: " + ticks);
        assertTrue(alive >= 1 && alive * 5 <= ticks.get(), "keep-alives: " + alive + ", ticks: " + ticks);
    }

    @Test
    void aKeepAliveWithLinesReachesOnlyAWaitingPeer() throws Exception {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        Peer peer = new Peer(written);
        Message lines = Message.builder("alive").add("log.user", "pyxis: still importing x").build();
        assertTrue(peer.keepAlive(lines));
        assertEquals(List.of(), frames(written.toByteArray()), "a peer that asked nothing hears nothing");
        peer.awaitsAnswer();
        assertTrue(peer.keepAlive(lines));
        peer.send(Message.builder("plan").build());
        assertEquals(List.of("alive", "plan"), frames(written.toByteArray()));
    }
}
