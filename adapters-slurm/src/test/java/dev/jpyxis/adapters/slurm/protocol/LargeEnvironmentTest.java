package dev.jpyxis.adapters.slurm.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A task's environment of 3 MiB (25 variables of 126 KiB, as many as execve lets a task have with a 64 MiB stack)
 * crosses the protocol in memory about its own size: reading it allocates at most twice the message, writing an answer
 * that carries it back (the container's start with the task's environment) little beyond the buffer. Before, each
 * field was copied four or five times (buffer growth, copy, decoding, substring, concatenation), and a step engine with
 * a few such tasks grew its heap by tens of MiB.
 */
@DisplayName("a 3 MiB environment crosses the protocol in bounded memory")
class LargeEnvironmentTest {

    private static final int VARIABLES = 25;
    private static final int VALUE_BYTES = 129_024;

    private static Message taskWithLargeEnvironment() {
        char[] value = new char[VALUE_BYTES];
        Arrays.fill(value, 'x');
        String text = new String(value);
        Message.Builder message = Message.builder("task_init").add("task", 0);
        for (int i = 1; i <= VARIABLES; i++) {
            message.add("env", "BIG_" + i + "=" + text);
        }
        return message.build();
    }

    private static com.sun.management.ThreadMXBean threads() {
        Assumptions.assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM does not count allocated bytes");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(threads.isThreadAllocatedMemoryEnabled(), "allocation counting is off");
        return threads;
    }

    @Test
    @DisplayName("reading it allocates at most twice the message's size")
    void reading() throws IOException {
        byte[] wire = MessageCodec.encode(taskWithLargeEnvironment());
        assertTrue(wire.length > 3 * 1024 * 1024);
        com.sun.management.ThreadMXBean threads = threads();
        MessageCodec.read(new ByteArrayInputStream(wire)); // classes loaded, nothing else counted below
        ByteArrayInputStream in = new ByteArrayInputStream(wire);
        long before = threads.getCurrentThreadAllocatedBytes();
        Message read = MessageCodec.read(in);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("reading a %d-byte task message allocated %d bytes (%.2fx)%n", wire.length, allocated,
                (double) allocated / wire.length);
        assertEquals(VARIABLES, read.all("env").size());
        assertEquals(VALUE_BYTES + "BIG_1=".length(), read.all("env").get(0).length());
        assertTrue(allocated <= 2L * wire.length, "allocated " + allocated + " bytes for " + wire.length);
    }

    @Test
    @DisplayName("writing it allocates at most half the message's size beyond it, and writes every byte")
    void writing() throws IOException {
        Message message = taskWithLargeEnvironment();
        byte[] expected = MessageCodec.encode(message);
        com.sun.management.ThreadMXBean threads = threads();
        class Counting extends OutputStream {
            long bytes;
            long sum;

            @Override
            public void write(int b) {
                bytes++;
                sum += b & 0xff;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                bytes += len;
                for (int i = off; i < off + len; i++) {
                    sum += b[i] & 0xff;
                }
            }
        }
        MessageCodec.write(new Counting(), message);
        Counting out = new Counting();
        long before = threads.getCurrentThreadAllocatedBytes();
        MessageCodec.write(out, message);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        System.out.printf("writing a %d-byte message allocated %d bytes (%.2fx)%n", expected.length, allocated,
                (double) allocated / expected.length);
        long expectedSum = 0;
        for (byte b : expected) {
            expectedSum += b & 0xff;
        }
        assertEquals(expected.length, out.bytes);
        assertEquals(expectedSum, out.sum);
        assertTrue(allocated <= expected.length + expected.length / 2, "allocated " + allocated + " bytes for "
                + expected.length);
        assertArrayEquals(expected, MessageCodec.encode(MessageCodec.read(new ByteArrayInputStream(expected))));
    }
}
