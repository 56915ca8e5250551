package dev.usersapi.auth;

/** Why a request was refused; the label values of users_api_auth_failures_total and of the security log. */
public enum AuthFailureReason {
    MISSING_TOKEN("missing_token"),
    INVALID_TOKEN("invalid_token"),
    FORBIDDEN("forbidden");

    private final String label;

    AuthFailureReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static java.util.Optional<AuthFailureReason> fromLabel(String label) {
        for (AuthFailureReason reason : values()) {
            if (reason.label.equals(label)) {
                return java.util.Optional.of(reason);
            }
        }
        return java.util.Optional.empty();
    }
}
