package dev.usersapi.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.usersapi.http.Json;
import dev.usersapi.store.Page;
import dev.usersapi.store.User;
import java.io.IOException;

/**
 * Writes users as JSON with a streaming generator: the list endpoint is the hot path. Member names are encoded once;
 * ids and timestamps go from their numbers straight into the output as ASCII (JSON never escapes their characters),
 * so a page allocates its body, the generator and one small scratch array, and no String per user.
 */
final class UserJson {
    private static final SerializableString ITEMS = new SerializedString("items");
    private static final SerializableString TOTAL = new SerializedString("total");
    private static final SerializableString LIMIT = new SerializedString("limit");
    private static final SerializableString OFFSET = new SerializedString("offset");
    private static final SerializableString ID = new SerializedString("id");
    private static final SerializableString NAME = new SerializedString("name");
    private static final SerializableString EMAIL = new SerializedString("email");
    private static final SerializableString CREATED_AT = new SerializedString("createdAt");

    private UserJson() {}

    static byte[] user(User user) {
        byte[] scratch = scratch();
        return Json.write(gen -> writeUser(gen, user, scratch));
    }

    static byte[] page(Page page, int limit, int offset) {
        byte[] scratch = scratch();
        return Json.write(gen -> {
            gen.writeStartObject();
            gen.writeFieldName(ITEMS);
            gen.writeStartArray();
            for (User user : page.items()) {
                writeUser(gen, user, scratch);
            }
            gen.writeEndArray();
            gen.writeFieldName(TOTAL);
            gen.writeNumber(page.total());
            gen.writeFieldName(LIMIT);
            gen.writeNumber(limit);
            gen.writeFieldName(OFFSET);
            gen.writeNumber(offset);
            gen.writeEndObject();
        });
    }

    private static byte[] scratch() {
        return new byte[Math.max(UuidText.LENGTH, IsoInstants.MAX_LENGTH)];
    }

    private static void writeUser(JsonGenerator gen, User user, byte[] scratch) throws IOException {
        gen.writeStartObject();
        gen.writeFieldName(ID);
        gen.writeRawUTF8String(scratch, 0, UuidText.write(user.id(), scratch, 0));
        gen.writeFieldName(NAME);
        gen.writeString(user.name());
        gen.writeFieldName(EMAIL);
        gen.writeString(user.email());
        gen.writeFieldName(CREATED_AT);
        gen.writeRawUTF8String(scratch, 0, IsoInstants.write(user.createdAt(), scratch, 0));
        gen.writeEndObject();
    }
}
