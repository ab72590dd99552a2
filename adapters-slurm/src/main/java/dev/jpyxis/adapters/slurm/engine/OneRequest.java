package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.UnaryOperator;

/** An engine that answers one request (submit, config, epilog), saying it is alive while it works. */
public final class OneRequest {

    private OneRequest() {
    }

    public static void serve(InputStream requests, OutputStream answers, UnaryOperator<Message> answering)
            throws IOException {
        Message request = MessageCodec.read(new BufferedInputStream(requests));
        try (Heartbeat heartbeat = new Heartbeat()) {
            Peer client = heartbeat.watch(new Peer(answers));
            client.awaitsAnswer();
            client.send(answering.apply(request));
        }
    }
}
