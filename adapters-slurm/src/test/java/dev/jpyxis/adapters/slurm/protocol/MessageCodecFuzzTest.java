package dev.jpyxis.adapters.slurm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random bytes on the channel (a broken or hostile peer) are a message, a {@link ProtocolException} or the end of the
 * channel: never another exception. Seeded, so a failure names the input that caused it.
 */
class MessageCodecFuzzTest {

    private static final long SEED = 20261202L;

    @Test
    void randomBytesAreAMessageOrAProtocolError() {
        Random random = new Random(SEED);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(64)];
            for (int i = 0; i < bytes.length; i++) {
                // mostly the bytes that matter to the framing: NUL, '=', letters; sometimes anything
                int pick = random.nextInt(8);
                bytes[i] = (byte) (pick == 0 ? 0 : pick == 1 ? '=' : pick < 6 ? 'a' + random.nextInt(3)
                        : random.nextInt(256));
            }
            ByteArrayInputStream in = new ByteArrayInputStream(bytes);
            try {
                while (in.available() > 0) {
                    MessageCodec.read(in);
                }
            } catch (ProtocolException | EOFException expected) {
                // refused, or the channel ended
            } catch (IOException | RuntimeException unexpected) {
                fail("round " + round + " (seed " + SEED + "): " + unexpected, unexpected);
            }
        }
    }

    @Test
    void anyMessageSurvivesTheRoundTrip() throws IOException {
        Random random = new Random(SEED);
        for (int round = 0; round < 5_000; round++) {
            List<Message.Field> fields = new ArrayList<>();
            for (int f = random.nextInt(6); f > 0; f--) {
                fields.add(new Message.Field(text(random, 1, "abc_"), text(random, 0, "x=:, \n\t\u00e9\u2603")));
            }
            Message message = Message.of(fields);
            assertEquals(message.fields(), MessageCodec.read(new ByteArrayInputStream(MessageCodec.encode(message)))
                    .fields(), "round " + round);
        }
    }

    private static String text(Random random, int minLength, String alphabet) {
        StringBuilder text = new StringBuilder();
        for (int n = minLength + random.nextInt(8); n > 0; n--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }
}
