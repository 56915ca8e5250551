package dev.usersapi.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidTextTest {
    @Test
    void writesWhatUuidToStringWrites() {
        SplittableRandom random = new SplittableRandom(36);
        byte[] out = new byte[UuidText.LENGTH + 3];
        for (int n = 0; n < 100_000; n++) {
            UUID id = n % 2 == 0 ? UUID.randomUUID() : new UUID(random.nextLong(), random.nextLong());
            assertThat(UuidText.write(id, out, 3)).isEqualTo(3 + UuidText.LENGTH);
            assertThat(new String(out, 3, UuidText.LENGTH, StandardCharsets.US_ASCII))
                    .isEqualTo(id.toString());
        }
    }

    @Test
    void extremesKeepTheirLeadingZeros() {
        byte[] out = new byte[UuidText.LENGTH];
        for (UUID id : new UUID[] {new UUID(0, 0), new UUID(-1, -1), new UUID(1, 1), new UUID(Long.MIN_VALUE, 0xF)}) {
            UuidText.write(id, out, 0);
            assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo(id.toString());
        }
    }
}
