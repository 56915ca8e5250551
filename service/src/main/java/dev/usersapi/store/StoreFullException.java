package dev.usersapi.store;

/** The store holds its configured maximum number of users. */
public final class StoreFullException extends RuntimeException {
    public StoreFullException(int max) {
        super("the store is full: it holds its maximum of " + max + " users");
    }
}
