package dev.jpyxis.dist.engine;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;

/**
 * Work a step engine will need that does not depend on the step, done on a thread of its own while the main thread
 * reads and decides {@code init}: on a node with a second core it is then off the path to the step's first task.
 * The JDK's Unix sockets seed a {@code SecureRandom} when first used (reading the security configuration and its
 * providers), about 15 ms in a fresh JVM (docs/performance.md#current-results).
 */
final class EngineWarmUp {

    private EngineWarmUp() {
    }

    static void begin() {
        Thread thread = new Thread(EngineWarmUp::warmUp, "warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    static void warmUp() {
        try (ServerSocketChannel unused = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            // opened and closed: what the task socket's first open would initialise
        } catch (IOException | RuntimeException notNeeded) {
            // the task socket reports its own failure, if it has one
        }
    }
}
