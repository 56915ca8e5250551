package dev.usersapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";

    @Test
    void takesIdsFromAValidTraceparent() {
        assertThat(TraceContext.fromHeader(Optional.of("00-" + TRACE + "-" + SPAN + "-01")))
                .isEqualTo(new TraceContext(TRACE, SPAN));
        // A future version may append fields; its known prefix is still honoured.
        assertThat(TraceContext.fromHeader(Optional.of("01-" + TRACE + "-" + SPAN + "-01-extra")))
                .isEqualTo(new TraceContext(TRACE, SPAN));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "garbage",
                "00-" + TRACE + "-" + SPAN,
                "00-" + TRACE + "-" + SPAN + "-01-extra",
                "ff-" + TRACE + "-" + SPAN + "-01",
                "00-00000000000000000000000000000000-" + SPAN + "-01",
                "00-" + TRACE + "-0000000000000000-01",
                "00-4BF92F3577B34DA6A3CE929D0E0E4736-" + SPAN + "-01"
            })
    void generatesFreshIdsForAnInvalidHeader(String header) {
        TraceContext ctx = TraceContext.fromHeader(Optional.of(header));
        assertThat(ctx.traceId()).matches("[0-9a-f]{32}").isNotEqualTo(TRACE);
        assertThat(ctx.spanId()).matches("[0-9a-f]{16}");
    }

    @Test
    void generatedIdsDiffer() {
        assertThat(TraceContext.fromHeader(Optional.empty())).isNotEqualTo(TraceContext.fromHeader(Optional.empty()));
    }
}
