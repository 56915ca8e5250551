package dev.usersapi.store;

/** A validated request to create a user: name and email already checked and normalised. */
public record NewUser(String name, String email) {}
