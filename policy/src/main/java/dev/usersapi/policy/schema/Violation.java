package dev.usersapi.policy.schema;

/** A field that does not fit its schema: the path inside the object and what is wrong. */
public record Violation(String path, String message) {}
