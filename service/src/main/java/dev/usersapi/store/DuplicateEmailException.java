package dev.usersapi.store;

/** A user with this email already exists (emails compare without regard to case). */
public final class DuplicateEmailException extends RuntimeException {
    public DuplicateEmailException(String email) {
        super("a user with email '" + email + "' already exists");
    }
}
