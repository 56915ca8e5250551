package dev.usersapi.observe;

/** The kinds of security event the service logs at WARN; the {@code event} field of the log contract. */
public enum SecurityEvent {
    AUTH_FAILURE("auth_failure"),
    ACCESS_DENIED("access_denied"),
    INVALID_INPUT("invalid_input"),
    SUSPICIOUS_REQUEST("suspicious_request");

    private final String label;

    SecurityEvent(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
