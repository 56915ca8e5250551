package dev.usersapi.api;

import dev.usersapi.auth.BearerAuthenticator;
import dev.usersapi.auth.BearerAuthenticator.Outcome;
import dev.usersapi.auth.Role;
import dev.usersapi.http.Problem;
import dev.usersapi.http.ProblemException;
import dev.usersapi.observe.SecurityEvent;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.Map;

/** Demands a role of a request: 401 with a Bearer challenge without a known token, 403 with the wrong role. */
final class AccessControl {
    private static final String REALM = "Bearer realm=\"users-api\"";

    private final BearerAuthenticator authenticator;

    AccessControl(BearerAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    Role require(ServerRequest req, Role required) {
        Outcome outcome = authenticator.check(req.headers().first(HeaderNames.AUTHORIZATION), required);
        return switch (outcome) {
            case Outcome.Granted granted -> granted.role();
            case Outcome.Refused refused ->
                throw switch (refused.reason()) {
                    case MISSING_TOKEN ->
                        new ProblemException(
                                Problem.of(
                                        401,
                                        "unauthenticated",
                                        "Unauthorized",
                                        "this operation needs a bearer token with role " + required.label()),
                                SecurityEvent.AUTH_FAILURE,
                                refused.reason().label(),
                                Map.of("WWW-Authenticate", REALM));
                    case INVALID_TOKEN ->
                        new ProblemException(
                                Problem.of(401, "unauthenticated", "Unauthorized", "the bearer token is not valid"),
                                SecurityEvent.AUTH_FAILURE,
                                refused.reason().label(),
                                Map.of("WWW-Authenticate", REALM + ", error=\"invalid_token\""));
                    case FORBIDDEN ->
                        new ProblemException(
                                Problem.of(
                                        403, "forbidden", "Forbidden", "this operation needs role " + required.label()),
                                SecurityEvent.ACCESS_DENIED,
                                refused.reason().label(),
                                Map.of("WWW-Authenticate", REALM + ", error=\"insufficient_scope\""));
                };
        };
    }
}
