package dev.jpyxis.adapters.slurm.protocol;

import dev.jpyxis.domain.env.ByteText;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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
        try {
            writeFields(bytes, message);
        } catch (IOException impossible) {
            throw new java.io.UncheckedIOException(impossible);
        }
        return bytes.toByteArray();
    }

    /** Writes the message field by field: a large one (a job's environment) is never copied whole. */
    public static void write(OutputStream out, Message message) throws IOException {
        // small fields gathered into few writes; a field larger than the buffer goes straight through
        OutputStream buffered = new java.io.BufferedOutputStream(out, 64 * 1024);
        writeFields(buffered, message);
        buffered.flush();
    }

    private static void writeFields(OutputStream out, Message message) throws IOException {
        for (Message.Field field : message.fields()) {
            out.write(textBytes(field.key()));
            out.write('=');
            out.write(textBytes(field.value()));
            out.write(0);
        }
        out.write(0);
    }

    /** A value's bytes, a NUL as a space; text without surrogates is plain UTF-8, encoded in one copy. */
    private static byte[] textBytes(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0' || Character.isSurrogate(c)) {
                return ByteText.encode(text.replace('\0', ' '));
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
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
        return in.markSupported() ? readInChunks(in) : readBytewise(in);
    }

    /** How much of a stream that can go back ({@link InputStream#mark}) is looked at at once. */
    private static final int CHUNK = 8192;

    /**
     * Reads a message chunk by chunk, then gives back what follows it (the next message's start): a job's environment
     * of several MiB is scanned in a loop over an array, not one call per byte, which the interpreted engine pays for.
     */
    private static Message readInChunks(InputStream in) throws IOException {
        List<Message.Field> fields = new ArrayList<>();
        FieldBuffer field = new FieldBuffer();
        byte[] chunk = new byte[CHUNK];
        long total = 0;
        for (;;) {
            in.mark(CHUNK);
            int n = in.read(chunk, 0, CHUNK);
            if (n < 0) {
                if (fields.isEmpty() && field.size() == 0) {
                    throw new EOFException("the peer closed the channel");
                }
                throw new ProtocolException("the channel closed in the middle of a message");
            }
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] != 0) {
                    continue;
                }
                if (total + i + 1 > MAX_MESSAGE_BYTES) {
                    throw new ProtocolException("message larger than " + MAX_MESSAGE_BYTES + " bytes");
                }
                field.write(chunk, start, i - start);
                start = i + 1;
                if (field.size() == 0) {
                    in.reset();
                    skipFully(in, i + 1);
                    return Message.of(fields);
                }
                fields.add(field.toField());
                field.reset();
            }
            field.write(chunk, start, n - start);
            total += n;
            if (total > MAX_MESSAGE_BYTES) {
                throw new ProtocolException("message larger than " + MAX_MESSAGE_BYTES + " bytes");
            }
        }
    }

    private static void skipFully(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException("the stream ended while a message was read");
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }

    private static Message readBytewise(InputStream in) throws IOException {
        List<Message.Field> fields = new ArrayList<>();
        FieldBuffer field = new FieldBuffer();
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
            fields.add(field.toField());
            field.reset();
        }
    }

    /**
     * The bytes of the field being read, decoded in place: key and value each in one copy, so a large value (a job's
     * environment of several MiB) costs about its own size, not several times it.
     */
    private static final class FieldBuffer extends ByteArrayOutputStream {

        FieldBuffer() {
            super(128);
        }

        Message.Field toField() {
            int equals = -1;
            for (int i = 0; i < count; i++) {
                if (buf[i] == '=') {
                    equals = i;
                    break;
                }
            }
            if (equals <= 0) {
                throw new ProtocolException("field without key: " + ByteText.decode(buf, 0, count));
            }
            return new Message.Field(text(0, equals), text(equals + 1, count - equals - 1));
        }

        private String text(int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                if (buf[i] < 0) {
                    return ByteText.decode(buf, offset, length);
                }
            }
            return new String(buf, offset, length, StandardCharsets.ISO_8859_1);
        }
    }
}
