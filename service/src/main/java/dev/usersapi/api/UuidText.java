package dev.usersapi.api;

import java.util.UUID;

/** {@link UUID#toString()} as ASCII bytes into a caller's buffer: the list writes one id per user. */
final class UuidText {
    static final int LENGTH = 36;

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    private UuidText() {}

    /** Writes the 8-4-4-4-12 lower-case hex form into {@code out} from {@code at}; returns its end. */
    static int write(UUID id, byte[] out, int at) {
        long high = id.getMostSignificantBits();
        long low = id.getLeastSignificantBits();
        hex(out, at, high >>> 32, 8);
        out[at + 8] = '-';
        hex(out, at + 9, high >>> 16, 4);
        out[at + 13] = '-';
        hex(out, at + 14, high, 4);
        out[at + 18] = '-';
        hex(out, at + 19, low >>> 48, 4);
        out[at + 23] = '-';
        hex(out, at + 24, low, 12);
        return at + LENGTH;
    }

    /** The low {@code digits} nibbles of {@code value}, most significant first. */
    private static void hex(byte[] out, int at, long value, int digits) {
        long rest = value;
        for (int p = at + digits - 1; p >= at; p--) {
            out[p] = HEX[(int) (rest & 0xF)];
            rest >>>= 4;
        }
    }
}
