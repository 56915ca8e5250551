package dev.usersapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Tokens for tests and a tokens file holding only their hashes, as production does. */
public final class TestTokens {
    public static final String WRITER = "writer-token-for-tests-0123456789";
    public static final String ADMIN = "admin-token-for-tests-9876543210";
    public static final String UNKNOWN = "not-a-configured-token";

    private TestTokens() {}

    public static String bearer(String token) {
        return "Authorization: Bearer " + token;
    }

    public static String sha256Hex(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path writeTokensFile(Path dir) {
        try {
            Path file = dir.resolve("tokens");
            Files.writeString(
                    file, "# test tokens\nwriter " + sha256Hex(WRITER) + "\nadmin " + sha256Hex(ADMIN) + "\n");
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
