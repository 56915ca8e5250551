package dev.usersapi.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** A response as read off the wire: status, headers (lower-case names) and body. */
public record HttpResult(int status, Map<String, List<String>> headers, byte[] body) {

    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    public String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
        try {
            return TestJson.MAPPER.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("body is not JSON: " + text(), e);
        }
    }

    @Override
    public String toString() {
        return status + " " + headers + " " + text();
    }
}
