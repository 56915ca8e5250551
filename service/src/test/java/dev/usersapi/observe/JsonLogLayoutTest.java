package dev.usersapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** The hand-written line: every contract field, numbers as numbers, and escaping that no value can break out of. */
class JsonLogLayoutTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final JsonLogLayout layout = new JsonLogLayout("users-api", "1.2.3");

    private LoggingEvent event(String message) {
        return new LoggingEvent(
                getClass().getName(), context.getLogger("users-api.access"), Level.INFO, message, null, null);
    }

    private String line(LoggingEvent event) throws IOException {
        Utf8JsonBuffer buffer = new Utf8JsonBuffer(16);
        layout.append(event, buffer);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        buffer.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesEveryContractFieldWithNumbersAsNumbers() throws IOException {
        LoggingEvent event = event("GET /api/users 200");
        event.setInstant(Instant.parse("2026-11-29T22:18:52.000000005Z"));
        event.setMDCPropertyMap(Map.of("request_id", "r-1", "client_ip", "203.0.113.9"));
        event.addKeyValuePair(new KeyValuePair("event", "http_request"));
        event.addKeyValuePair(new KeyValuePair("status", 200));
        event.addKeyValuePair(new KeyValuePair("duration_ms", 1.25));
        String line = line(event);

        assertThat(line).endsWith("}\n").hasLineCount(1);
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("@timestamp").asText()).isEqualTo("2026-11-29T22:18:52.000000005Z");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
        assertThat(json.get("logger").asText()).isEqualTo("users-api.access");
        assertThat(json.get("thread").asText()).isEqualTo(Thread.currentThread().getName());
        assertThat(json.get("message").asText()).isEqualTo("GET /api/users 200");
        assertThat(json.get("service").asText()).isEqualTo("users-api");
        assertThat(json.get("version").asText()).isEqualTo("1.2.3");
        assertThat(json.get("request_id").asText()).isEqualTo("r-1");
        assertThat(json.get("client_ip").asText()).isEqualTo("203.0.113.9");
        assertThat(json.get("event").asText()).isEqualTo("http_request");
        assertThat(json.get("status").isInt()).isTrue();
        assertThat(json.get("status").asInt()).isEqualTo(200);
        assertThat(json.get("duration_ms").isDouble()).isTrue();
        assertThat(json.get("duration_ms").asDouble()).isEqualTo(1.25);
    }

    @Test
    void theTimestampIsRightAcrossSecondsAndDays() {
        for (String t : new String[] {
            "1970-01-01T00:00:00.000000000Z",
            "2026-12-31T23:59:59.999999999Z",
            "2027-01-01T00:00:00.123456789Z",
            "2026-12-31T23:59:59.000001000Z"
        }) {
            assertThat(layout.timestamp(Instant.parse(t)).toString()).isEqualTo(t);
        }
    }

    @Test
    void escapesQuotesBackslashesAndEveryControlCharacter() throws IOException {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        String hostile = "\"},\"level\":\"ERROR\",\"x\":{\"\\" + controls + "\u007f\u2028end";
        LoggingEvent event = event(hostile);
        event.setMDCPropertyMap(Map.of("user_agent", hostile, "path", "/a\r\n{\"forged\":true}"));
        String line = line(event);

        assertThat(line.substring(0, line.length() - 1)).doesNotContain("\n").doesNotContain("\r");
        assertThat(line.chars().filter(c -> c < 0x20).count())
                .as("raw control characters")
                .isEqualTo(1);
        assertThat(line)
                .contains("\\u0000")
                .contains("\\u001f")
                .contains("\\n")
                .contains("\\t")
                .contains("\\\"");
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("message").asText()).isEqualTo(hostile);
        assertThat(json.get("user_agent").asText()).isEqualTo(hostile);
        assertThat(json.get("path").asText()).isEqualTo("/a\r\n{\"forged\":true}");
        assertThat(json.get("level").asText()).isEqualTo("INFO");
    }

    @Test
    void writesUnicodeAsUtf8AndReplacesUnpairedSurrogates() throws IOException {
        String text = "é ß 日本 😀 \uD800 x \uDC00";
        LoggingEvent event = event(text);
        String line = line(event);
        assertThat(line).contains("é ß 日本 😀");
        assertThat(JSON.readTree(line).get("message").asText()).isEqualTo("é ß 日本 😀 \uFFFD x \uFFFD");
    }

    @Test
    void aThrowableIsOneStackTraceFieldRootCauseFirst() throws IOException {
        Exception root = new IllegalStateException("root \"cause\"\nsecond line");
        Exception wrapper = new RuntimeException("wrapper", root);
        LoggingEvent event = new LoggingEvent(
                getClass().getName(), context.getLogger("users-api.test"), Level.ERROR, "failed", wrapper, null);
        String line = line(event);
        assertThat(line).hasLineCount(1);
        String trace = JSON.readTree(line).get("stack_trace").asText();
        assertThat(trace).startsWith("java.lang.IllegalStateException: root \"cause\"\nsecond line\n\tat ");
        assertThat(trace).contains("Wrapped by: java.lang.RuntimeException: wrapper");
        assertThat(trace.indexOf("IllegalStateException")).isLessThan(trace.indexOf("Wrapped by"));
    }

    @Test
    void aDeepStackIsCutPerThrowable() {
        Exception deep = new Exception("deep");
        StackTraceElement frame = new StackTraceElement("a.B", "c", "B.java", 1);
        StackTraceElement[] frames = new StackTraceElement[100];
        Arrays.fill(frames, frame);
        deep.setStackTrace(frames);
        String trace = JsonLogLayout.stackTrace(new ThrowableProxy(deep));
        assertThat(trace.lines().filter(l -> l.startsWith("\tat ")).count())
                .isEqualTo(JsonLogLayout.MAX_FRAMES_PER_THROWABLE);
        assertThat(trace).contains("\t... 70 more");
    }
}
