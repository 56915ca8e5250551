package dev.usersapi.observe;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request id: the caller's {@code X-Request-Id} when it is a sane token, otherwise a new UUID.
 * A caller-chosen id goes into logs and a response header, so anything that could forge log structure
 * or inject headers (control characters, quotes, huge values) is replaced rather than echoed.
 */
public final class RequestIds {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private RequestIds() {
    }

    public static String fromHeader(Optional<String> header) {
        return header.map(String::strip).filter(v -> SAFE.matcher(v).matches())
                .orElseGet(() -> UUID.randomUUID().toString());
    }
}
