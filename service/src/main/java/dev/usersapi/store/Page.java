package dev.usersapi.store;

import java.util.List;

/** One page of users in creation order, with the total number stored. */
public record Page(List<User> items, long total) {}
