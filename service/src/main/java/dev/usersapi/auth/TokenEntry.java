package dev.usersapi.auth;

/** One line of the tokens file: a role and the SHA-256 of a token that holds it. */
record TokenEntry(Role role, byte[] sha256, int line) {
}
