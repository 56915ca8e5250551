package dev.usersapi.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersapi.support.ServiceProcess;
import dev.usersapi.support.TestJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A client that tries to forge log lines through its headers and path, against the packaged jar's real stdout:
 * every line stays one JSON object, the hostile values come back exactly as sent, and no forged field appears.
 */
class AccessLogEscapingIT {
    private static final String FORGED = "\"},\"level\":\"ERROR\",\"forged\":true,\"x\":{\"\\";

    @Test
    void hostileHeaderAndPathValuesStayInsideTheirFields() throws Exception {
        String userAgent = FORGED + "\ttab é 日本 😀";
        // Helidon reads header values as US-ASCII (RFC 9110 §5.5: obs-text is opaque): each non-ASCII byte
        // arrives as U+FFFD. What matters is that the log holds exactly what the service read.
        String asRead = new String(userAgent.getBytes(StandardCharsets.UTF_8), StandardCharsets.US_ASCII);
        try (ServiceProcess service = ServiceProcess.start(Map.of("USERS_API_DRAIN_SECONDS", "0"))) {
            assertThat(service.http()
                            .get("/api/users", "User-Agent: " + userAgent, "X-Request-Id: hostile-1")
                            .status())
                    .isEqualTo(200);
            assertThat(service.http()
                            .get("/no/%22%7D%0A%5C", "User-Agent: plain", "X-Request-Id: hostile-2")
                            .status())
                    .isEqualTo(404);
            service.terminate();
            assertThat(service.awaitExit(Duration.ofSeconds(20))).isIn(0, 143);

            List<JsonNode> lines = new ArrayList<>();
            for (String line : service.stdout()) {
                JsonNode json = TestJson.MAPPER.readTree(line);
                assertThat(json.isObject()).as(line).isTrue();
                assertThat(json.has("forged")).as(line).isFalse();
                lines.add(json);
            }
            JsonNode hostile = single(lines, "hostile-1");
            assertThat(hostile.get("user_agent").asText()).isEqualTo(asRead);
            assertThat(hostile.get("level").asText()).isEqualTo("INFO");
            assertThat(hostile.get("event").asText()).isEqualTo("http_request");
            assertThat(single(lines, "hostile-2").get("path").asText()).isEqualTo("/no/%22%7D%0A%5C");
            assertThat(lines).noneMatch(l -> l.path("level").asText().equals("ERROR"));
        }
    }

    private static JsonNode single(List<JsonNode> lines, String requestId) {
        List<JsonNode> found = lines.stream()
                .filter(l -> l.path("request_id").asText().equals(requestId)
                        && l.path("event").asText().equals("http_request"))
                .toList();
        assertThat(found).as("access lines of %s", requestId).hasSize(1);
        return found.getFirst();
    }
}
