package dev.usersapi.http;

import java.util.List;

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

    /** The response body; {@code errors} only when there are some, a null {@code instance} or request id as null. */
    public byte[] toJson(String instance, String requestId) {
        return Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("type", type);
            gen.writeStringField("title", title);
            gen.writeNumberField("status", status);
            gen.writeStringField("detail", detail);
            gen.writeStringField("instance", instance);
            if (!errors.isEmpty()) {
                gen.writeArrayFieldStart("errors");
                for (FieldError error : errors) {
                    gen.writeStartObject();
                    gen.writeStringField("field", error.field());
                    gen.writeStringField("message", error.message());
                    gen.writeEndObject();
                }
                gen.writeEndArray();
            }
            gen.writeStringField("request_id", requestId);
            gen.writeEndObject();
        });
    }
}
