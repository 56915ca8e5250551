package dev.usersapi.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import java.util.Map;

/** Answers for requests no route serves: 404 for unknown paths, 405 with {@code Allow} for a wrong method. */
public final class Fallbacks {
    private Fallbacks() {}

    public static Handler notFound() {
        return (req, res) -> ErrorResponses.send(
                req,
                res,
                Problem.of(
                        404,
                        null,
                        "Not Found",
                        "no resource at " + req.prologue().uriPath().rawPath()),
                Map.of());
    }

    public static Handler methodNotAllowed(String allowed) {
        return (req, res) -> ErrorResponses.send(
                req,
                res,
                Problem.of(
                        405,
                        null,
                        "Method Not Allowed",
                        req.prologue().method().text() + " is not supported here; allowed: " + allowed),
                Map.of(HeaderNames.ALLOW.defaultCase(), allowed));
    }
}
