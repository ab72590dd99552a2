package dev.jpyxis.adapters.slurm.engine;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * Ticks every second and sends every waiting peer a keep-alive every few ticks, from a thread of its own: the engine's
 * work (an import may take an hour) never holds it up. engine_timeout is at least 15 s, three keep-alive intervals.
 * Each tick also runs what was asked to run on ticks (the progress lines of a long setup), outside the engine's lock.
 */
final class Heartbeat implements AutoCloseable {

    static final long INTERVAL_MS = 5000;
    static final long TICK_MS = 1000;

    private final Set<Peer> peers = new CopyOnWriteArraySet<>();
    private final List<Runnable> onTick = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    Heartbeat() {
        this(INTERVAL_MS, TICK_MS);
    }

    /** @param intervalMillis between keep-alives, rounded to whole ticks */
    Heartbeat(long intervalMillis, long tickMillis) {
        long ticksPerKeepAlive = Math.max(1, intervalMillis / tickMillis);
        thread = new Thread(() -> {
            for (long tick = 1; running; tick++) {
                try {
                    Thread.sleep(tickMillis);
                } catch (InterruptedException stopped) {
                    return;
                }
                onTick.forEach(Runnable::run);
                if (tick % ticksPerKeepAlive == 0) {
                    peers.removeIf(peer -> !peer.keepAlive());
                }
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

    /** Runs {@code action} on every tick, on the heartbeat's thread, until it is closed. */
    void onTick(Runnable action) {
        onTick.add(action);
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
