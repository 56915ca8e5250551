package dev.usersapi.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem detail. {@code type} is a stable URN per kind of problem (clients switch on it);
 * {@code about:blank} where the status code alone says everything.
 */
public record Problem(int status, String type, String title, String detail, List<FieldError> errors) {
    public static final String TYPE_PREFIX = "urn:users-api:problem:";

    /** One invalid field of a request body or query. */
    public record FieldError(String field, String message) {}

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(status, slug == null ? "about:blank" : TYPE_PREFIX + slug, title, detail, List.of());
    }

    public Map<String, Object> toJson(String instance, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        body.put("instance", instance);
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        body.put("request_id", requestId);
        return body;
    }
}
