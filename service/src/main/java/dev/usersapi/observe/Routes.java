package dev.usersapi.observe;

import io.helidon.webserver.http.ServerRequest;

/** The route template of a request, for metric labels and logs; never the raw path (label cardinality). */
public final class Routes {
    public static final String UNMATCHED = "unmatched";

    private Routes() {}

    public static String of(ServerRequest req) {
        String pattern = req.matchingPattern().orElse("");
        if (pattern.isEmpty() || pattern.equals("/*") || pattern.equals("*")) {
            return UNMATCHED;
        }
        // A service registered at /api/users reports its own root as "/api/users/".
        if (pattern.length() > 1 && pattern.endsWith("/")) {
            return pattern.substring(0, pattern.length() - 1);
        }
        return pattern;
    }
}
