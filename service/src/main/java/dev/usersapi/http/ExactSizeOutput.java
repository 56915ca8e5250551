package dev.usersapi.http;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * Collects what a JSON generator writes into an array of exactly the written length. The generator buffers up to
 * its pooled 8,000-byte buffer and writes it out once, so a body of that size costs one array and one copy, where a
 * {@code ByteArrayOutputStream} costs a guessed buffer, its growth and a trimming copy.
 */
final class ExactSizeOutput extends OutputStream {
    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes = EMPTY;

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] chunk, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, chunk.length);
        int at = bytes.length;
        bytes = Arrays.copyOf(bytes, at + length);
        System.arraycopy(chunk, offset, bytes, at, length);
    }

    byte[] bytes() {
        return bytes;
    }
}
