package dev.usersapi.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()} without {@code DateTimeFormatter}: the list endpoint writes one timestamp per user,
 * and the JDK's formatter was the largest single cost of {@code GET /api/users} in a JFR profile (11% of all
 * samples). Same text for every instant: years outside 0000–9999 (never created by the service) go to the JDK.
 * Written as ASCII bytes, so the list writes it into its JSON without a String per user.
 */
final class IsoInstants {
    /** The longest text of any instant: {@code Instant.MAX}, {@code +1000000000-12-31T23:59:59.999999999Z}. */
    static final int MAX_LENGTH = 37;

    private static final long SECONDS_PER_DAY = 86_400;
    private static final long MIN_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * SECONDS_PER_DAY;
    private static final long MAX_SECOND = 253_402_300_799L; // 9999-12-31T23:59:59Z

    private IsoInstants() {}

    static String format(Instant instant) {
        byte[] out = new byte[MAX_LENGTH];
        return new String(out, 0, write(instant, out, 0), StandardCharsets.US_ASCII);
    }

    /** Writes the text into {@code out} from {@code at}, which needs {@link #MAX_LENGTH} bytes; returns its end. */
    static int write(Instant instant, byte[] out, int at) {
        long seconds = instant.getEpochSecond();
        if (seconds < MIN_SECOND || seconds > MAX_SECOND) {
            byte[] text = instant.toString().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, out, at, text.length);
            return at + text.length;
        }
        long day = Math.floorDiv(seconds, SECONDS_PER_DAY);
        int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
        LocalDate date = LocalDate.ofEpochDay(day);
        int nano = instant.getNano();
        int i = digits(out, at, date.getYear(), 4);
        out[i++] = '-';
        i = digits(out, i, date.getMonthValue(), 2);
        out[i++] = '-';
        i = digits(out, i, date.getDayOfMonth(), 2);
        out[i++] = 'T';
        i = digits(out, i, secondOfDay / 3600, 2);
        out[i++] = ':';
        i = digits(out, i, secondOfDay / 60 % 60, 2);
        out[i++] = ':';
        i = digits(out, i, secondOfDay % 60, 2);
        if (nano != 0) {
            out[i++] = '.';
            // As ISO_INSTANT: milli-, micro- or nanosecond precision, whichever shows every non-zero digit.
            if (nano % 1_000_000 == 0) {
                i = digits(out, i, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                i = digits(out, i, nano / 1_000, 6);
            } else {
                i = digits(out, i, nano, 9);
            }
        }
        out[i++] = 'Z';
        return i;
    }

    private static int digits(byte[] out, int at, int value, int width) {
        for (int p = at + width - 1; p >= at; p--) {
            out[p] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
