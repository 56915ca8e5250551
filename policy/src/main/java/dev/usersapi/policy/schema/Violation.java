package dev.usersapi.policy.schema;

import com.google.gson.JsonElement;
import java.util.List;

/** A field that does not fit its schema: the path inside the object and what is wrong. */
public record Violation(String path, String message) {

    /** Adds "expected {@code expected}, got ..." to {@code out} unless {@code ok}. */
    static void expect(boolean ok, String expected, JsonElement value, String path, List<Violation> out) {
        if (!ok) {
            out.add(new Violation(path, "expected " + expected + ", got " + Paths.describe(value)));
        }
    }
}
