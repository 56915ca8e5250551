package dev.usersapi.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.PathMatchers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Sends response bodies so that HEAD is served wherever GET is (RFC 9110 §9.3.2): same status and header fields,
 * {@code Content-Length} of the body GET would send, and no body.
 */
public final class Entities {
    private static final byte[] NONE = new byte[0];

    private Entities() {}

    /** Routes GET and HEAD of {@code path} to {@code handler}, which sends through {@link #send}. */
    public static void getAndHead(HttpRules rules, String path, Handler handler) {
        rules.route(Method.predicate(Method.GET, Method.HEAD), PathMatchers.create(path), handler);
    }

    public static void send(ServerRequest req, ServerResponse res, byte[] body) {
        if (Method.HEAD.equals(req.prologue().method())) {
            res.header(HeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
            res.send(NONE);
        } else {
            res.send(body);
        }
    }
}
