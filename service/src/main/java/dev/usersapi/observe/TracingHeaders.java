package dev.usersapi.observe;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;

/** Correlation headers Helidon has no constants for. */
public final class TracingHeaders {
    public static final HeaderName X_REQUEST_ID = HeaderNames.create("X-Request-Id");
    public static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");

    private TracingHeaders() {}
}
