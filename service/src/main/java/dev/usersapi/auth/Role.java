package dev.usersapi.auth;

import java.util.Locale;
import java.util.Optional;

/** What a token may do. Reads are public; {@code admin} includes everything {@code writer} may do. */
public enum Role {
    WRITER,
    ADMIN;

    public boolean grants(Role required) {
        return this == ADMIN || this == required;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromLabel(String label) {
        for (Role role : values()) {
            if (role.label().equals(label)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
