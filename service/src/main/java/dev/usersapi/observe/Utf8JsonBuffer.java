package dev.usersapi.observe;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer that writes JSON members as UTF-8, reused for every line by the one writer thread (not
 * thread-safe). Strings are escaped per RFC 8259: quote, backslash and every control character, so a value from a
 * client (a header, a path) can neither end its string nor start a forged line; an unpaired surrogate becomes
 * U+FFFD so the output is always valid UTF-8.
 */
final class Utf8JsonBuffer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] REPLACEMENT = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    private byte[] bytes;
    private int size;

    Utf8JsonBuffer(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    int size() {
        return size;
    }

    /** Forgets what was written after {@code length} bytes (a line that failed half-way). */
    void truncate(int length) {
        size = length;
    }

    /** Empties the buffer; one huge line does not keep its memory for good. */
    void reset(int maxRetainedCapacity) {
        size = 0;
        if (bytes.length > maxRetainedCapacity) {
            bytes = new byte[maxRetainedCapacity];
        }
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    /** {@code "name":"value"} with the separator before it unless it is the first member. */
    void stringMember(boolean first, String name, String value) {
        name(first, name);
        string(value);
    }

    /** {@code "name":value} for a number, written as Java writes it (a valid JSON number for finite values). */
    void numberMember(boolean first, String name, Number value) {
        name(first, name);
        double d = value.doubleValue();
        if ((value instanceof Double || value instanceof Float) && (Double.isNaN(d) || Double.isInfinite(d))) {
            string(value.toString());
        } else {
            ascii(value.toString());
        }
    }

    void name(boolean first, String name) {
        if (!first) {
            raw((byte) ',');
        }
        string(name);
        raw((byte) ':');
    }

    void raw(byte b) {
        ensure(1);
        bytes[size++] = b;
    }

    /** Text known to be ASCII without anything to escape (numbers, pre-formatted timestamps). */
    void ascii(CharSequence text) {
        int n = text.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            bytes[size++] = (byte) text.charAt(i);
        }
    }

    void string(String value) {
        int n = value.length();
        // Worst case 6 bytes per char (a control character as backslash-u-00XX); grown once per string, not per char.
        ensure(n * 6 + 2);
        byte[] b = bytes;
        int p = size;
        b[p++] = '"';
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                if (c >= 0x20 && c != '"' && c != '\\') {
                    b[p++] = (byte) c;
                } else {
                    p = escape(b, p, c);
                }
            } else if (c < 0x800) {
                b[p++] = (byte) (0xC0 | (c >> 6));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                b[p++] = (byte) (0xF0 | (cp >> 18));
                b[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isSurrogate(c)) {
                System.arraycopy(REPLACEMENT, 0, b, p, 3);
                p += 3;
            } else {
                b[p++] = (byte) (0xE0 | (c >> 12));
                b[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                b[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        b[p++] = '"';
        size = p;
    }

    private static int escape(byte[] b, int p, char c) {
        b[p++] = '\\';
        switch (c) {
            case '"' -> b[p++] = '"';
            case '\\' -> b[p++] = '\\';
            case '\n' -> b[p++] = 'n';
            case '\r' -> b[p++] = 'r';
            case '\t' -> b[p++] = 't';
            case '\b' -> b[p++] = 'b';
            case '\f' -> b[p++] = 'f';
            default -> {
                b[p++] = 'u';
                b[p++] = '0';
                b[p++] = '0';
                b[p++] = HEX[c >> 4];
                b[p++] = HEX[c & 0xF];
            }
        }
        return p;
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
