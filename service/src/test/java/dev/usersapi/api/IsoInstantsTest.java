package dev.usersapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoInstantsTest {
    @Test
    void writesWhatInstantToStringWrites() {
        SplittableRandom random = new SplittableRandom(13);
        long min = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int n = 0; n < 200_000; n++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(min, max + 1), random.nextInt(1_000_000_000));
            // Each precision the formatter chooses between: whole seconds, millis, micros, nanos.
            for (ChronoUnit unit :
                    new ChronoUnit[] {ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS}) {
                Instant truncated = instant.truncatedTo(unit);
                assertThat(IsoInstants.format(truncated)).isEqualTo(truncated.toString());
            }
        }
    }

    @Test
    void edgesAndYearsTheJdkWritesDifferently() {
        for (String text : new String[] {
            "1970-01-01T00:00:00Z",
            "1969-12-31T23:59:59.999999999Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999Z",
            "2024-02-29T12:00:00.100Z",
            "+10000-01-01T00:00:00Z",
            "-0001-12-31T23:59:59Z"
        }) {
            Instant instant = Instant.parse(text);
            assertThat(IsoInstants.format(instant))
                    .isEqualTo(instant.toString())
                    .isEqualTo(text);
        }
        assertThat(IsoInstants.format(Instant.MAX)).isEqualTo(Instant.MAX.toString());
        assertThat(IsoInstants.format(Instant.MIN)).isEqualTo(Instant.MIN.toString());
    }

    @Test
    void writesTheSameTextIntoABufferAtAnyOffset() {
        for (Instant instant :
                new Instant[] {Instant.parse("2026-11-30T01:00:00.123456789Z"), Instant.EPOCH, Instant.MAX, Instant.MIN
                }) {
            byte[] out = new byte[5 + IsoInstants.MAX_LENGTH];
            int end = IsoInstants.write(instant, out, 5);
            assertThat(new String(out, 5, end - 5, StandardCharsets.US_ASCII)).isEqualTo(instant.toString());
        }
        assertThat(Instant.MAX.toString()).hasSize(IsoInstants.MAX_LENGTH);
    }
}
