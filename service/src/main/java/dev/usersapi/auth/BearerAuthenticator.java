package dev.usersapi.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Checks {@code Authorization: Bearer <token>} against the token hashes.
 *
 * <p>The presented token is hashed and compared with every known hash using a constant-time comparison,
 * without stopping at the first match, so the time taken says nothing about which hash came close.
 */
public final class BearerAuthenticator {
    private static final String SCHEME = "bearer";
    /** Longer tokens are refused before hashing so a huge header costs nothing. */
    private static final int MAX_TOKEN_LENGTH = 512;

    private final Supplier<List<TokenEntry>> entries;

    /** @param entries the token hashes in force, asked for on every check (they may be reloaded) */
    public BearerAuthenticator(Supplier<List<TokenEntry>> entries) {
        this.entries = entries;
    }

    public BearerAuthenticator(List<TokenEntry> entries) {
        List<TokenEntry> fixed = List.copyOf(entries);
        this.entries = () -> fixed;
    }

    public static BearerAuthenticator none() {
        return new BearerAuthenticator(List.of());
    }

    public int tokenCount() {
        return entries.get().size();
    }

    /** The outcome of checking a request for the given role. */
    public sealed interface Outcome {
        record Granted(Role role) implements Outcome {}

        record Refused(AuthFailureReason reason) implements Outcome {}
    }

    public Outcome check(Optional<String> authorizationHeader, Role required) {
        Optional<String> token = authorizationHeader.flatMap(BearerAuthenticator::bearerToken);
        if (token.isEmpty()) {
            return new Outcome.Refused(AuthFailureReason.MISSING_TOKEN);
        }
        Optional<Role> role = roleOf(token.get());
        if (role.isEmpty()) {
            return new Outcome.Refused(AuthFailureReason.INVALID_TOKEN);
        }
        return role.get().grants(required)
                ? new Outcome.Granted(role.get())
                : new Outcome.Refused(AuthFailureReason.FORBIDDEN);
    }

    /** The credentials of a Bearer authorization header (RFC 6750), or empty if it carries none. */
    static Optional<String> bearerToken(String header) {
        String value = header.strip();
        int space = value.indexOf(' ');
        if (space <= 0 || !value.substring(0, space).equalsIgnoreCase(SCHEME)) {
            return Optional.empty();
        }
        String token = value.substring(space + 1).strip();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    private Optional<Role> roleOf(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        byte[] presented = sha256(token);
        Role match = null;
        for (TokenEntry entry : entries.get()) {
            if (MessageDigest.isEqual(presented, entry.sha256())) {
                match = entry.role();
            }
        }
        return Optional.ofNullable(match);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
