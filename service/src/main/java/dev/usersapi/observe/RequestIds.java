package dev.usersapi.observe;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The request id: the caller's {@code X-Request-Id} when it is a sane token, otherwise a new UUID.
 * A caller-chosen id goes into logs and a response header, so anything that could forge log structure
 * or inject headers (control characters, quotes, huge values) is replaced rather than echoed.
 * A generated id is a version 4 UUID from {@link ThreadLocalRandom}: it only correlates log lines and is no secret,
 * and {@code UUID.randomUUID()} reads the shared SecureRandom under a lock (7% of a profile of the list endpoint).
 */
public final class RequestIds {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private RequestIds() {}

    public static String fromHeader(Optional<String> header) {
        return header.map(String::strip).filter(v -> SAFE.matcher(v).matches()).orElseGet(RequestIds::generate);
    }

    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xC0L << 56)) | (0x80L << 56); // IETF variant
        return new UUID(high, low).toString();
    }
}
