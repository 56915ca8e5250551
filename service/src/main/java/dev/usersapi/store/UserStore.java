package dev.usersapi.store;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;
import java.util.UUID;

/**
 * Where users live. Nothing outside an implementation may assume the data is in memory: every call may
 * block on I/O, and {@link #health()} tells readiness whether the store can serve. Any call may throw
 * {@link StoreUnavailableException} when a persistent store's backend is temporarily unavailable.
 */
public interface UserStore extends AutoCloseable {

    /**
     * Stores a new user.
     *
     * @throws DuplicateEmailException if a user with the same email (ignoring case) exists
     * @throws StoreFullException      if the store holds its configured maximum
     */
    User create(NewUser user);

    Optional<User> find(UUID id);

    /** Users in creation order, skipping {@code offset} and returning at most {@code limit}. */
    Page list(int offset, int limit);

    /** Deletes the user with that id: true if one was deleted, false if none had that id. */
    boolean delete(UUID id);

    /** The number of users for the users_api_users gauge; a persistent store may answer from a cache. */
    long count();

    /** Whether the store can serve requests now; a persistent store reports its connection here. */
    StoreHealth health();

    /** Adds the store's own metrics, if it has any, to the service's registry. */
    default void registerMetrics(PrometheusRegistry registry) {}

    /** Releases connections and background threads; called once the server has stopped. */
    @Override
    default void close() {}
}
