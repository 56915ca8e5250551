package dev.usersapi.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ExactSizeOutputTest {
    @Test
    void holdsExactlyWhatWasWrittenInOrder() {
        ExactSizeOutput out = new ExactSizeOutput();
        assertThat(out.bytes()).isEmpty();

        out.write("xxabcxx".getBytes(StandardCharsets.US_ASCII), 2, 3);
        out.write('-');
        out.write("def".getBytes(StandardCharsets.US_ASCII), 0, 3);

        assertThat(new String(out.bytes(), StandardCharsets.US_ASCII)).isEqualTo("abc-def");
    }

    @Test
    void refusesARangeOutsideTheChunk() {
        ExactSizeOutput out = new ExactSizeOutput();
        assertThatThrownBy(() -> out.write(new byte[3], 2, 2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(out.bytes()).isEmpty();
    }

    @Test
    void aBodyLargerThanTheGeneratorsBufferArrivesWhole() {
        String long1 = "é".repeat(20_000);
        byte[] json = Json.write(gen -> {
            gen.writeStartArray();
            gen.writeString(long1);
            gen.writeString(long1);
            gen.writeEndArray();
        });
        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("[\"" + long1 + "\",\"" + long1 + "\"]");
    }
}
