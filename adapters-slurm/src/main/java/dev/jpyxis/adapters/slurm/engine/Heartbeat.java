package dev.jpyxis.adapters.slurm.engine;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Sends every waiting peer a keep-alive every few seconds, from a thread of its own: the engine's work (an import
 * may take an hour) never holds it up. engine_timeout is at least 15 s, three intervals.
 */
final class Heartbeat implements AutoCloseable {

    static final long INTERVAL_MS = 5000;

    private final Set<Peer> peers = new CopyOnWriteArraySet<>();
    private final Thread thread;
    private volatile boolean running = true;

    Heartbeat() {
        this(INTERVAL_MS);
    }

    Heartbeat(long intervalMillis) {
        thread = new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException stopped) {
                    return;
                }
                peers.removeIf(peer -> !peer.keepAlive());
            }
        }, "heartbeat");
        thread.setDaemon(true);
        thread.start();
    }

    Peer watch(Peer peer) {
        peers.add(peer);
        return peer;
    }

    void forget(Peer peer) {
        peers.remove(peer);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
