package dev.usersapi.store;

/** The store's readiness and a short human-readable reason. */
public record StoreHealth(boolean up, String detail) {
    public static StoreHealth up(String detail) {
        return new StoreHealth(true, detail);
    }

    public static StoreHealth down(String detail) {
        return new StoreHealth(false, detail);
    }
}
