package dev.usersapi.auth;

/** The tokens file cannot be used; the message names the file and line. The service refuses to start. */
public final class InvalidTokensFileException extends RuntimeException {
    public InvalidTokensFileException(String message) {
        super(message);
    }

    public InvalidTokensFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
