package dev.usersapi.api;

import dev.usersapi.http.Problem;
import dev.usersapi.http.ProblemException;
import io.helidon.common.uri.UriQuery;
import java.util.ArrayList;
import java.util.List;

/** Reads and bounds {@code limit} and {@code offset}; anything else is a 400 naming the parameter. */
record Paging(int limit, int offset) {
    static final int MAX_OFFSET = 10_000_000;

    static Paging from(UriQuery query, int defaultLimit, int maxLimit) {
        List<Problem.FieldError> errors = new ArrayList<>();
        int limit = parse(query, "limit", defaultLimit, 1, maxLimit, errors);
        int offset = parse(query, "offset", 0, 0, MAX_OFFSET, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.invalidInput(
                    "bad_paging",
                    "invalid-paging",
                    "Invalid paging parameters",
                    errors.get(0).message(),
                    errors);
        }
        return new Paging(limit, offset);
    }

    private static int parse(
            UriQuery query, String name, int fallback, int min, int max, List<Problem.FieldError> errors) {
        if (!query.contains(name)) {
            return fallback;
        }
        List<String> values = query.all(name);
        if (values.size() != 1) {
            errors.add(new Problem.FieldError(name, name + " may be given once, got " + values.size() + " values"));
            return fallback;
        }
        String raw = values.get(0);
        String message = name + " must be a whole number from " + min + " to " + max;
        if (raw.isEmpty() || raw.length() > 9 || !raw.chars().allMatch(c -> c >= '0' && c <= '9')) {
            errors.add(new Problem.FieldError(name, message));
            return fallback;
        }
        int value = Integer.parseInt(raw);
        if (value < min || value > max) {
            errors.add(new Problem.FieldError(name, message));
            return fallback;
        }
        return value;
    }
}
