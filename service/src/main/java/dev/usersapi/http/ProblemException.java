package dev.usersapi.http;

import dev.usersapi.observe.SecurityEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Thrown by handlers to answer with a problem. It may carry the security event the refusal represents and
 * extra response headers; {@link ErrorResponses} writes, logs and counts it in one place.
 */
public final class ProblemException extends RuntimeException {
    private final Problem problem;
    private final Optional<SecurityEvent> event;
    private final String reason;
    private final Map<String, String> headers;

    public ProblemException(Problem problem, SecurityEvent event, String reason, Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.event = Optional.ofNullable(event);
        this.reason = reason;
        this.headers = Map.copyOf(headers);
    }

    /** A problem that is no security event: a conflict, a missing resource, a full store. */
    public static ProblemException of(Problem problem) {
        return new ProblemException(problem, null, null, Map.of());
    }

    public static ProblemException invalidInput(
            String reason, String slug, String title, String detail, List<Problem.FieldError> errors) {
        return new ProblemException(
                new Problem(400, Problem.TYPE_PREFIX + slug, title, detail, errors),
                SecurityEvent.INVALID_INPUT,
                reason,
                Map.of());
    }

    public Problem problem() {
        return problem;
    }

    public Optional<SecurityEvent> event() {
        return event;
    }

    public String reason() {
        return reason;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
