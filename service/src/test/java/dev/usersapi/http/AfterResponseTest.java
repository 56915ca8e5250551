package dev.usersapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.http.HeaderNames;
import io.helidon.http.WritableHeaders;
import org.junit.jupiter.api.Test;

class AfterResponseTest {
    private static WritableHeaders<?> connection(String... fields) {
        WritableHeaders<?> headers = WritableHeaders.create();
        headers.add(HeaderNames.CONTENT_TYPE, "application/json");
        for (String field : fields) {
            headers.add(HeaderNames.CONNECTION, field);
        }
        return headers;
    }

    @Test
    void noConnectionFieldAndKeepAliveDoNotClose() {
        assertThat(AfterResponse.announcesClose(connection())).isFalse();
        assertThat(AfterResponse.announcesClose(connection("keep-alive"))).isFalse();
        assertThat(AfterResponse.announcesClose(connection("Keep-Alive"))).isFalse();
        assertThat(AfterResponse.announcesClose(connection("closed"))).isFalse();
    }

    @Test
    void theCloseTokenClosesWhereverItStands() {
        assertThat(AfterResponse.announcesClose(connection("close"))).isTrue();
        assertThat(AfterResponse.announcesClose(connection("Close"))).isTrue();
        assertThat(AfterResponse.announcesClose(connection("keep-alive, close")))
                .isTrue();
        assertThat(AfterResponse.announcesClose(connection("upgrade,close"))).isTrue();
        assertThat(AfterResponse.announcesClose(connection("keep-alive", "close")))
                .isTrue();
    }
}
