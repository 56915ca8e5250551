package dev.usersapi.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded default store: bounded, safe under concurrency, gone on restart.
 *
 * <p>Reads never lock: they walk concurrent maps. Writes take one lock so that the email index, the
 * capacity check and the creation order change together; a ReentrantLock rather than synchronized so
 * virtual threads are not pinned on Java 21.
 */
public final class InMemoryUserStore implements UserStore {
    private final int maxUsers;
    private final Clock clock;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Creation order: sequence number → user. Paging walks this. */
    private final ConcurrentSkipListMap<Long, User> bySequence = new ConcurrentSkipListMap<>();

    private final Map<UUID, Long> sequenceById = new ConcurrentHashMap<>();
    private final Map<String, UUID> idByEmail = new ConcurrentHashMap<>();
    private long nextSequence;
    private volatile int size;

    public InMemoryUserStore(int maxUsers, Clock clock) {
        if (maxUsers < 1) {
            throw new IllegalArgumentException("maxUsers must be at least 1");
        }
        this.maxUsers = maxUsers;
        this.clock = clock;
    }

    @Override
    // size is written only under writeLock; it is volatile so that count() reads it without the lock.
    @SuppressWarnings("NonAtomicVolatileUpdate")
    public User create(NewUser newUser) {
        String emailKey = emailKey(newUser.email());
        writeLock.lock();
        try {
            if (idByEmail.containsKey(emailKey)) {
                throw new DuplicateEmailException(newUser.email());
            }
            if (size >= maxUsers) {
                throw new StoreFullException(maxUsers);
            }
            User user = new User(UUID.randomUUID(), newUser.name(), newUser.email(), clock.instant());
            long sequence = nextSequence++;
            bySequence.put(sequence, user);
            sequenceById.put(user.id(), sequence);
            idByEmail.put(emailKey, user.id());
            size++;
            return user;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Optional<User> find(UUID id) {
        Long sequence = sequenceById.get(id);
        return sequence == null ? Optional.empty() : Optional.ofNullable(bySequence.get(sequence));
    }

    @Override
    public Page list(int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit must not be negative");
        }
        long total = size;
        List<User> items = new ArrayList<>((int) Math.min(limit, total));
        Iterator<User> it = bySequence.values().iterator();
        for (int skipped = 0; skipped < offset && it.hasNext(); skipped++) {
            it.next();
        }
        while (items.size() < limit && it.hasNext()) {
            items.add(it.next());
        }
        return new Page(List.copyOf(items), total);
    }

    @Override
    @SuppressWarnings("NonAtomicVolatileUpdate") // see create
    public boolean delete(UUID id) {
        writeLock.lock();
        try {
            Long sequence = sequenceById.remove(id);
            if (sequence == null) {
                return false;
            }
            User removed = bySequence.remove(sequence);
            idByEmail.remove(emailKey(removed.email()));
            size--;
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public long count() {
        return size;
    }

    @Override
    public StoreHealth health() {
        return StoreHealth.up("in-memory, " + size + " of " + maxUsers + " users");
    }

    private static String emailKey(String email) {
        return email.toLowerCase(Locale.ROOT);
    }
}
