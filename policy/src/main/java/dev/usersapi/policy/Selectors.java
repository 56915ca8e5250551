package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;

/** Label selector matching, as the API server does it. */
public final class Selectors {

    private Selectors() {}

    /** A plain selector (a Service's): every pair present. An empty selector matches nothing here. */
    public static boolean matches(Map<String, String> selector, Map<String, String> labels) {
        return !selector.isEmpty() && labels.entrySet().containsAll(selector.entrySet());
    }

    /** A LabelSelector (matchLabels and matchExpressions); an empty one selects everything. */
    public static boolean matches(JsonObject selector, Map<String, String> labels) {
        Map<String, String> matchLabels = Json.stringMap(selector, "matchLabels");
        if (!labels.entrySet().containsAll(matchLabels.entrySet())) {
            return false;
        }
        for (JsonObject expression : Json.objects(selector, "matchExpressions")) {
            String key = Json.string(expression, "key").orElse("");
            List<String> values = Json.strings(expression, "values");
            String op = Json.string(expression, "operator").orElse("");
            boolean ok = switch (op) {
                case "In" -> labels.containsKey(key) && values.contains(labels.get(key));
                case "NotIn" -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case "Exists" -> labels.containsKey(key);
                case "DoesNotExist" -> !labels.containsKey(key);
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public static boolean isEmpty(JsonObject selector) {
        return Json.stringMap(selector, "matchLabels").isEmpty()
                && Json.objects(selector, "matchExpressions").isEmpty();
    }
}
