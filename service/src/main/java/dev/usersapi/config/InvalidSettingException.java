package dev.usersapi.config;

/** A configuration value the service cannot start with; the message names the variable to fix. */
public final class InvalidSettingException extends RuntimeException {
    public InvalidSettingException(String message) {
        super(message);
    }
}
