package dev.jpyxis.adapters.slurm.protocol;

import dev.jpyxis.domain.env.ByteText;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes protocol messages on byte streams. Text is UTF-8; values never contain NUL; bytes that are not
 * UTF-8 (an environment value's, say) are carried unchanged ({@link ByteText}).
 */
public final class MessageCodec {

    /** The largest message either side accepts. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** The version of the shim–engine protocol; a request that names another fails. */
    public static final String PROTOCOL_VERSION = "2";

    private MessageCodec() {
    }

    public static byte[] encode(Message message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        for (Message.Field field : message.fields()) {
            String text = field.key() + "=" + field.value().replace('\0', ' ');
            bytes.writeBytes(ByteText.encode(text));
            bytes.write(0);
        }
        bytes.write(0);
        return bytes.toByteArray();
    }

    public static void write(OutputStream out, Message message) throws IOException {
        out.write(encode(message));
        out.flush();
    }

    /**
     * A request opening a conversation names the protocol the shim speaks; a shim and jars of different builds must
     * not talk.
     */
    public static void requireProtocol(Message request) {
        String spoken = request.get("protocol").orElse("none");
        if (!spoken.equals(PROTOCOL_VERSION)) {
            throw new ProtocolException("the shim speaks protocol " + spoken + ", this engine " + PROTOCOL_VERSION
                    + ": install the shim and the jars of one build");
        }
    }

    /**
     * Reads one message.
     *
     * @throws EOFException when the stream ends before a message starts (the peer is gone)
     * @throws ProtocolException when the bytes are not a message
     */
    public static Message read(InputStream in) throws IOException {
        List<Message.Field> fields = new ArrayList<>();
        ByteArrayOutputStream field = new ByteArrayOutputStream(128);
        int total = 0;
        for (;;) {
            int b = in.read();
            if (b < 0) {
                if (fields.isEmpty() && field.size() == 0) {
                    throw new EOFException("the peer closed the channel");
                }
                throw new ProtocolException("the channel closed in the middle of a message");
            }
            if (++total > MAX_MESSAGE_BYTES) {
                throw new ProtocolException("message larger than " + MAX_MESSAGE_BYTES + " bytes");
            }
            if (b != 0) {
                field.write(b);
                continue;
            }
            if (field.size() == 0) {
                return Message.of(fields);
            }
            String text = ByteText.decode(field.toByteArray());
            int equals = text.indexOf('=');
            if (equals <= 0) {
                throw new ProtocolException("field without key: " + text);
            }
            fields.add(new Message.Field(text.substring(0, equals), text.substring(equals + 1)));
            field.reset();
        }
    }
}
