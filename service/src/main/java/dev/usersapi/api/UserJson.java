package dev.usersapi.api;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.usersapi.http.Json;
import dev.usersapi.store.Page;
import dev.usersapi.store.User;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Writes users as JSON with a streaming generator: the list endpoint is the hot path. */
final class UserJson {
    private UserJson() {}

    static byte[] user(User user) {
        return write(256, gen -> writeUser(gen, user));
    }

    static byte[] page(Page page, int limit, int offset) {
        return write(128 + page.items().size() * 160, gen -> {
            gen.writeStartObject();
            gen.writeArrayFieldStart("items");
            for (User user : page.items()) {
                writeUser(gen, user);
            }
            gen.writeEndArray();
            gen.writeNumberField("total", page.total());
            gen.writeNumberField("limit", limit);
            gen.writeNumberField("offset", offset);
            gen.writeEndObject();
        });
    }

    private static void writeUser(JsonGenerator gen, User user) throws IOException {
        gen.writeStartObject();
        gen.writeStringField("id", user.id().toString());
        gen.writeStringField("name", user.name());
        gen.writeStringField("email", user.email());
        gen.writeStringField("createdAt", IsoInstants.format(user.createdAt()));
        gen.writeEndObject();
    }

    private interface Body {
        void write(JsonGenerator gen) throws IOException;
    }

    private static byte[] write(int sizeHint, Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
        try (JsonGenerator gen = Json.MAPPER.getFactory().createGenerator(out)) {
            body.write(gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
