package dev.usersapi.http;

import dev.usersapi.auth.AuthFailureReason;
import dev.usersapi.observe.Metrics;
import dev.usersapi.observe.Routes;
import dev.usersapi.observe.SecurityEvent;
import dev.usersapi.observe.SecurityLog;
import dev.usersapi.store.StoreUnavailableException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns every failure into an {@code application/problem+json} response, and is the one place that logs
 * security events and counts auth failures for refusals, so a handler cannot answer 401 and forget to.
 */
public final class ErrorResponses {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorResponses.class);

    private final Metrics metrics;
    private final SecurityLog securityLog;

    public ErrorResponses(Metrics metrics, SecurityLog securityLog) {
        this.metrics = metrics;
        this.securityLog = securityLog;
    }

    public void register(HttpRouting.Builder routing) {
        routing.error(ProblemException.class, (req, res, e) -> handle(req, res, e));
        routing.error(StoreUnavailableException.class, (req, res, e) -> unavailable(req, res, e));
        routing.error(Throwable.class, (req, res, e) -> unexpected(req, res, e));
    }

    public void handle(ServerRequest req, ServerResponse res, ProblemException e) {
        e.event().ifPresent(event -> {
            securityLog.event(event, e.reason(), Routes.of(req));
            if (event == SecurityEvent.AUTH_FAILURE || event == SecurityEvent.ACCESS_DENIED) {
                AuthFailureReason.fromLabel(e.reason()).ifPresent(metrics::authFailure);
            }
        });
        send(req, res, e.problem(), e.headers());
    }

    /** The store's backend is down or restarting: a retryable 503, never a 500; it recovers by itself. */
    private void unavailable(ServerRequest req, ServerResponse res, StoreUnavailableException e) {
        LOG.debug(
                "store unavailable serving {} {}: {}", req.prologue().method().text(), Routes.of(req), e.getMessage());
        send(
                req,
                res,
                Problem.of(
                        503,
                        "store-unavailable",
                        "Service Unavailable",
                        "the users store is temporarily unavailable; retry after the Retry-After delay"),
                Map.of("Retry-After", Long.toString(e.retryAfterSeconds())));
    }

    /** Failures no handler turned into a problem: Helidon's own 4xx keep their status, the rest are 500s. */
    private void unexpected(ServerRequest req, ServerResponse res, Throwable e) {
        int status = statusOf(e);
        if (status >= 500) {
            LOG.error("unhandled failure serving {} {}", req.prologue().method().text(), Routes.of(req), e);
            send(
                    req,
                    res,
                    Problem.of(
                            500,
                            null,
                            "Internal Server Error",
                            "the server failed to handle the request; quote the request_id when reporting it"),
                    Map.of());
        } else {
            securityLog.event(SecurityEvent.INVALID_INPUT, "malformed_request", Routes.of(req));
            send(req, res, Problem.of(status, null, titleOf(status), "the request could not be understood"), Map.of());
        }
    }

    public static void send(ServerRequest req, ServerResponse res, Problem problem, Map<String, String> headers) {
        if (res.isSent()) {
            return;
        }
        byte[] body = problem.toJson(req.prologue().uriPath().rawPath(), MDC.get("request_id"));
        res.status(problem.status());
        headers.forEach(res::header);
        res.header(HeaderNames.CONTENT_TYPE, Json.PROBLEM_MEDIA_TYPE);
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Entities.send(req, res, body);
    }

    private static int statusOf(Throwable e) {
        if (e instanceof HttpException http) {
            return http.status().code();
        }
        if (e instanceof RequestException request) {
            return request.status().code();
        }
        return 500;
    }

    static String titleOf(int status) {
        return io.helidon.http.Status.create(status).reasonPhrase();
    }
}
