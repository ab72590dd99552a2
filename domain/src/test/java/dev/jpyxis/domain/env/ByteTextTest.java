package dev.jpyxis.domain.env;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("bytes as text")
class ByteTextTest {

    @Test
    @DisplayName("valid UTF-8 reads as its characters")
    void validUtf8() {
        String text = "plain é € 𝄞";
        assertEquals(text, ByteText.decode(text.getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), ByteText.encode(text));
    }

    @Test
    @DisplayName("bytes that are not UTF-8 survive the round trip, where a UTF-8 decoder replaces them")
    void invalidBytesSurvive() {
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9, '=', (byte) 0xFF, (byte) 0xC0, (byte) 0xAF, (byte) 0xED,
            (byte) 0xA0, (byte) 0x80, (byte) 0xE2, (byte) 0x82};
        assertArrayEquals(latin1, ByteText.encode(ByteText.decode(latin1)));
        byte[] plane16 = {(byte) 0xF4, (byte) 0x8D, (byte) 0xBF, (byte) 0xBF};
        assertArrayEquals(plane16, ByteText.encode(ByteText.decode(plane16)), "U+10DFFF, a pair ending in DFFF");
        byte[] lossy = new String(latin1, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
        assertEquals(false, java.util.Arrays.equals(latin1, lossy), "the plain decoder would have altered them");
    }

    @Property
    void everyByteStringSurvives(@ForAll byte[] bytes) {
        assertArrayEquals(bytes, ByteText.encode(ByteText.decode(bytes)));
    }

    @Property
    void everyStringOfCharactersEncodesAsUtf8(@ForAll String text) {
        String wellFormed = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertArrayEquals(wellFormed.getBytes(StandardCharsets.UTF_8), ByteText.encode(wellFormed));
        assertEquals(wellFormed, ByteText.decode(ByteText.encode(wellFormed)));
    }
}
