package dev.jpyxis.adapters.slurm.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageCodecTest {

    private static Message decode(String wire) throws IOException {
        return MessageCodec.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void fieldsAreNulTerminatedAndTheMessageEndsWithAnEmptyField() {
        Message message = Message.builder("init").add("env", "A=1").add("env", "B=x=y").add("uid", 5000).build();
        assertArrayEquals("msg=init\0env=A=1\0env=B=x=y\0uid=5000\0\0".getBytes(StandardCharsets.UTF_8),
                MessageCodec.encode(message));
    }

    @Test
    void messagesReadInChunksLeaveTheNextMessageWhole() throws IOException {
        Message small = Message.builder("report").add("checkpoint", "joined").build();
        Message large = Message.builder("task_init").add("env", "A=" + "x".repeat(20_000)).add("env", "B=\u00e9")
                .build();
        java.io.ByteArrayOutputStream wire = new java.io.ByteArrayOutputStream();
        for (Message message : List.of(small, large, small, large)) {
            wire.writeBytes(MessageCodec.encode(message));
        }
        for (java.io.InputStream in : List.of(new ByteArrayInputStream(wire.toByteArray()),
                new java.io.BufferedInputStream(new ByteArrayInputStream(wire.toByteArray()), 7))) {
            for (Message expected : List.of(small, large, small, large)) {
                assertEquals(expected.fields(), MessageCodec.read(in).fields());
            }
            assertThrows(EOFException.class, () -> MessageCodec.read(in));
        }
    }

    @Test
    void decodingGivesTheFieldsBackInOrderWithRepeats() throws IOException {
        Message message = decode("msg=plan\0op=log\0level=user\0text=a=b \u00e9\0op=report\0checkpoint=joined\0\0");
        assertEquals("plan", message.type());
        assertEquals(List.of("log", "report"), message.all("op"));
        assertEquals("a=b \u00e9", message.require("text"));
        assertEquals(6, message.fields().size());
    }

    @Test
    void bytesThatAreNotUtf8CrossTheEngineUnchanged() throws IOException {
        byte[] request = {'m', 's', 'g', '=', 't', 'a', 's', 'k', '_', 'i', 'n', 'i', 't', 0, 'e', 'n', 'v', '=', 'N',
            '=', 'c', 'a', 'f', (byte) 0xE9, (byte) 0xFF, (byte) 0xC3, (byte) 0xA9, 0, 0};
        Message message = MessageCodec.read(new ByteArrayInputStream(request));
        assertEquals("N=caf\udce9\udcff\u00e9", message.all("env").get(0), "valid UTF-8 stays readable");
        Message answer = Message.builder("plan").add("op", "setenv").add("value",
                message.all("env").get(0).substring(2)).build();
        byte[] expected = {'m', 's', 'g', '=', 'p', 'l', 'a', 'n', 0, 'o', 'p', '=', 's', 'e', 't', 'e', 'n', 'v', 0,
            'v', 'a', 'l', 'u', 'e', '=', 'c', 'a', 'f', (byte) 0xE9, (byte) 0xFF, (byte) 0xC3, (byte) 0xA9, 0, 0};
        assertArrayEquals(expected, MessageCodec.encode(answer));
    }

    @Test
    void consecutiveMessagesOnOneStream() throws IOException {
        ByteArrayInputStream in = new ByteArrayInputStream("msg=a\0\0msg=b\0x=1\0\0".getBytes(StandardCharsets.UTF_8));
        assertEquals("a", MessageCodec.read(in).type());
        assertEquals("1", MessageCodec.read(in).require("x"));
        assertThrows(EOFException.class, () -> MessageCodec.read(in));
    }

    @Test
    void malformedInputIsRefused() {
        assertThrows(EOFException.class, () -> decode(""));
        assertThrows(ProtocolException.class, () -> decode("msg=a\0x=1"));
        assertThrows(ProtocolException.class, () -> decode("msg=a\0novalue\0\0"));
        assertThrows(ProtocolException.class, () -> decode("=x\0\0"));
        assertThrows(ProtocolException.class, () -> decode("msg=a\0\0").requireLong("msg"));
        assertThrows(ProtocolException.class, () -> decode("msg=a\0\0").require("missing"));
    }

    @Test
    void aNulInsideAValueCannotSplitTheField() {
        byte[] wire = MessageCodec.encode(Message.builder("x").add("v", "a\0b").build());
        assertArrayEquals("msg=x\0v=a b\0\0".getBytes(StandardCharsets.UTF_8), wire);
    }

    @Test
    void keysAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new Message.Field("a=b", "x"));
        assertThrows(IllegalArgumentException.class, () -> new Message.Field("", "x"));
        assertEquals("", Message.of(List.of(new Message.Field("not-msg", "x"))).type());
    }

    @Test
    void aRequestInAnotherProtocolIsRefused() {
        MessageCodec.requireProtocol(Message.builder("init").add("protocol", MessageCodec.PROTOCOL_VERSION).build());
        ProtocolException refused = org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                () -> MessageCodec.requireProtocol(Message.builder("init").add("protocol", "0").build()));
        org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains("protocol 0"));
        org.junit.jupiter.api.Assertions.assertThrows(ProtocolException.class,
                () -> MessageCodec.requireProtocol(Message.builder("init").build()));
    }
}
