package dev.usersapi.policy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The differences between two JSON trees, as readable lines: {@code spec.minReplicas: 1 (expected) vs 3 (actual)}. */
final class ObjectDiff {

    private ObjectDiff() {}

    /** Every differing path (map keys in sorted order, list items by index); empty when the trees are equal. */
    static List<String> of(JsonElement expected, JsonElement actual) {
        List<String> out = new ArrayList<>();
        walk("", expected, actual, out);
        return out;
    }

    /** The first difference, for a one-line failure message. */
    static Optional<String> first(JsonElement expected, JsonElement actual) {
        return of(expected, actual).stream().findFirst();
    }

    private static void walk(String path, JsonElement e, JsonElement a, List<String> out) {
        e = e == null ? JsonNull.INSTANCE : e;
        a = a == null ? JsonNull.INSTANCE : a;
        if (e.isJsonObject() && a.isJsonObject()) {
            JsonObject eo = e.getAsJsonObject();
            JsonObject ao = a.getAsJsonObject();
            TreeSet<String> keys = new TreeSet<>(eo.keySet());
            keys.addAll(ao.keySet());
            for (String key : keys) {
                walk(path.isEmpty() ? key : path + "." + key, eo.get(key), ao.get(key), out);
            }
        } else if (e.isJsonArray() && a.isJsonArray()) {
            JsonArray ea = e.getAsJsonArray();
            JsonArray aa = a.getAsJsonArray();
            for (int i = 0; i < Math.max(ea.size(), aa.size()); i++) {
                walk(path + "[" + i + "]", i < ea.size() ? ea.get(i) : null, i < aa.size() ? aa.get(i) : null, out);
            }
        } else if (!e.equals(a)) {
            out.add((path.isEmpty() ? "(object)" : path) + ": " + show(e) + " vs " + show(a));
        }
    }

    private static String show(JsonElement value) {
        return value.isJsonNull() ? "(absent)" : value.toString();
    }
}
