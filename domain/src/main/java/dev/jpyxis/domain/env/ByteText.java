package dev.jpyxis.domain.env;

import java.io.ByteArrayOutputStream;

/**
 * Bytes as text without loss: valid UTF-8 becomes its characters, and each byte that is not part of a valid UTF-8
 * sequence becomes the lone surrogate {@code U+DC80 + (byte - 0x80)} (Python's "surrogateescape"), which
 * {@link #encode} turns back into that byte. So an environment value that is not valid UTF-8 crosses the engine
 * unchanged (docs/protocol.md).
 */
public final class ByteText {

    private static final int ESCAPE_BASE = 0xDC00;

    private ByteText() {
    }

    public static String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public static String decode(byte[] bytes, int offset, int length) {
        StringBuilder text = new StringBuilder(length);
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            int size = sequenceLength(bytes, i, end);
            if (size == 0) {
                text.append((char) (ESCAPE_BASE + b));
                i++;
            } else if (size == 1) {
                text.append((char) b);
                i++;
            } else {
                int codePoint = b & (0xFF >> (size + 1));
                for (int k = 1; k < size; k++) {
                    codePoint = (codePoint << 6) | (bytes[i + k] & 0x3F);
                }
                text.appendCodePoint(codePoint);
                i += size;
            }
        }
        return text.toString();
    }

    /** The length of the valid UTF-8 sequence at {@code i} (RFC 3629: no overlong forms, no surrogates), or 0. */
    private static int sequenceLength(byte[] bytes, int i, int end) {
        int b = bytes[i] & 0xFF;
        if (b < 0x80) {
            return 1;
        }
        int size;
        int low = 0x80;
        int high = 0xBF;
        if (b >= 0xC2 && b <= 0xDF) {
            size = 2;
        } else if (b >= 0xE0 && b <= 0xEF) {
            size = 3;
            if (b == 0xE0) {
                low = 0xA0;
            } else if (b == 0xED) {
                high = 0x9F;
            }
        } else if (b >= 0xF0 && b <= 0xF4) {
            size = 4;
            if (b == 0xF0) {
                low = 0x90;
            } else if (b == 0xF4) {
                high = 0x8F;
            }
        } else {
            return 0;
        }
        if (i + size > end) {
            return 0;
        }
        int second = bytes[i + 1] & 0xFF;
        if (second < low || second > high) {
            return 0;
        }
        for (int k = 2; k < size; k++) {
            int next = bytes[i + k] & 0xFF;
            if (next < 0x80 || next > 0xBF) {
                return 0;
            }
        }
        return size;
    }

    /** The bytes {@link #decode} read: UTF-8, with each escaped byte restored. */
    public static byte[] encode(String text) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length() + 8);
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c >= ESCAPE_BASE + 0x80 && c <= ESCAPE_BASE + 0xFF) {
                bytes.write(c - ESCAPE_BASE);
                i++;
                continue;
            }
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            if (codePoint <= Character.MAX_VALUE && Character.isSurrogate((char) codePoint)) {
                codePoint = 0xFFFD; // a lone surrogate no decoding produced: as String.getBytes would, almost
            }
            writeUtf8(bytes, codePoint);
        }
        return bytes.toByteArray();
    }

    private static void writeUtf8(ByteArrayOutputStream out, int codePoint) {
        if (codePoint < 0x80) {
            out.write(codePoint);
        } else if (codePoint < 0x800) {
            out.write(0xC0 | (codePoint >> 6));
            out.write(0x80 | (codePoint & 0x3F));
        } else if (codePoint < 0x10000) {
            out.write(0xE0 | (codePoint >> 12));
            out.write(0x80 | ((codePoint >> 6) & 0x3F));
            out.write(0x80 | (codePoint & 0x3F));
        } else {
            out.write(0xF0 | (codePoint >> 18));
            out.write(0x80 | ((codePoint >> 12) & 0x3F));
            out.write(0x80 | ((codePoint >> 6) & 0x3F));
            out.write(0x80 | (codePoint & 0x3F));
        }
    }
}
