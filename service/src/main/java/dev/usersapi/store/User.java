package dev.usersapi.store;

import java.time.Instant;
import java.util.UUID;

/** A stored user. The email keeps the case it was given; uniqueness ignores case. */
public record User(UUID id, String name, String email, Instant createdAt) {}
