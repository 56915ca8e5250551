package dev.usersapi.auth;

/** One line of the tokens file: a role and the SHA-256 of a token that holds it. */
// The digest is compared only with MessageDigest.isEqual and Arrays.equals, never through the record's equals.
@SuppressWarnings("ArrayRecordComponent")
record TokenEntry(Role role, byte[] sha256, int line) {}
