package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import java.io.IOException;
import java.io.OutputStream;

/**
 * One peer of the engine (slurmstepd's control channel, a task, a one-request client) as the engine writes to it:
 * whole frames, one at a time, and a keep-alive while the peer waits for an answer, so the shim can tell a slow
 * engine from a silent one (engine_timeout).
 */
final class Peer {

    /** The frame that says "still working": the shim skips it, resetting its deadline. */
    static final Message ALIVE = Message.builder("alive").build();

    private final OutputStream out;
    private boolean awaiting;
    private boolean gone;

    Peer(OutputStream out) {
        this.out = out;
    }

    /** The peer sent a request and waits for the engine's next frame. */
    synchronized void awaitsAnswer() {
        awaiting = true;
    }

    /** Sends a frame that answers the peer; it waits no more until it asks again. */
    synchronized void send(Message message) throws IOException {
        awaiting = false;
        try {
            MessageCodec.write(out, message);
        } catch (IOException failed) {
            gone = true;
            throw failed;
        }
    }

    /**
     * A keep-alive carrying lines to log (an alive frame with {@code log.<level>} fields), if the peer is waiting: it
     * shows them at once and goes on waiting. False once the peer is gone.
     */
    synchronized boolean keepAlive(Message aliveWithLines) {
        if (awaiting && !gone) {
            try {
                MessageCodec.write(out, aliveWithLines);
            } catch (IOException failed) {
                gone = true;
            }
        }
        return !gone;
    }

    /** A keep-alive if the peer is waiting; false once the peer is gone. */
    boolean keepAlive() {
        return keepAlive(ALIVE);
    }
}
