package dev.usersapi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryUserStoreTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private final InMemoryUserStore store = new InMemoryUserStore(100, CLOCK);

    @Test
    void createsFindsAndDeletes() {
        User user = store.create(new NewUser("Ada", "ada@example.org"));
        assertThat(user.createdAt()).isEqualTo(CLOCK.instant());
        assertThat(store.find(user.id())).contains(user);
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.delete(user.id())).isTrue();
        assertThat(store.delete(user.id())).isFalse();
        assertThat(store.find(user.id())).isEmpty();
        assertThat(store.count()).isZero();
    }

    @Test
    void emailIsUniqueIgnoringCaseAndFreedOnDelete() {
        User first = store.create(new NewUser("Ada", "Ada@Example.org"));
        assertThatThrownBy(() -> store.create(new NewUser("Other", "ada@example.ORG")))
                .isInstanceOf(DuplicateEmailException.class)
                .hasMessageContaining("ada@example.ORG");
        store.delete(first.id());
        assertThat(store.create(new NewUser("Again", "ADA@example.org")).email())
                .isEqualTo("ADA@example.org");
    }

    @Test
    void listsInCreationOrderWithOffsetAndLimit() {
        List<User> created = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            created.add(store.create(new NewUser("u" + i, "u" + i + "@example.org")));
        }
        store.delete(created.get(3).id());
        Page page = store.list(2, 3);
        assertThat(page.total()).isEqualTo(9);
        assertThat(page.items()).containsExactly(created.get(2), created.get(4), created.get(5));
        assertThat(store.list(8, 5).items()).containsExactly(created.get(9));
        assertThat(store.list(50, 5).items()).isEmpty();
        assertThat(store.list(0, 0).items()).isEmpty();
        assertThatThrownBy(() -> store.list(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesBeyondItsCapacity() {
        InMemoryUserStore small = new InMemoryUserStore(2, CLOCK);
        small.create(new NewUser("a", "a@example.org"));
        User b = small.create(new NewUser("b", "b@example.org"));
        assertThatThrownBy(() -> small.create(new NewUser("c", "c@example.org")))
                .isInstanceOf(StoreFullException.class)
                .hasMessageContaining("maximum of 2");
        assertThat(small.count()).isEqualTo(2);
        small.delete(b.id());
        assertThat(small.create(new NewUser("c", "c@example.org")).name()).isEqualTo("c");
    }

    @Test
    void concurrentCreatesKeepEmailsUniqueAndTheCapacityExact() throws Exception {
        InMemoryUserStore bounded = new InMemoryUserStore(500, CLOCK);
        int threads = 8;
        int perThread = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger full = new AtomicInteger();
        ConcurrentLinkedQueue<User> created = new ConcurrentLinkedQueue<>();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            futures.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                    // Every thread tries the same 300 emails: each must be created exactly once.
                    String email = "user" + (i % 300) + "@example.org";
                    try {
                        created.add(bounded.create(new NewUser("n", email)));
                    } catch (DuplicateEmailException e) {
                        duplicates.incrementAndGet();
                    } catch (StoreFullException e) {
                        full.incrementAndGet();
                    }
                    bounded.list(0, 50);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : futures) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Set<String> emails = new HashSet<>();
        created.forEach(u -> emails.add(u.email()));
        assertThat(created).hasSize(200);
        assertThat(emails).hasSize(200);
        assertThat(bounded.count()).isEqualTo(200);
        assertThat(duplicates.get() + full.get()).isEqualTo(threads * perThread - 200);
        assertThat(bounded.list(0, 1000).items()).hasSize(200);
    }

    @Test
    void concurrentDeletesAndCreatesStayConsistent() throws Exception {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(store.create(new NewUser("u", "c" + i + "@example.org")).id());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> deleted = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            deleted.add(pool.submit(() -> {
                int n = 0;
                for (UUID id : ids) {
                    n += store.delete(id) ? 1 : 0;
                }
                return n;
            }));
        }
        int total = 0;
        for (Future<Integer> f : deleted) {
            total += f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(total).as("each user deleted exactly once").isEqualTo(100);
        assertThat(store.count()).isZero();
        assertThat(store.list(0, 100).items()).isEmpty();
    }

    @Test
    void reportsHealth() {
        assertThat(store.health().up()).isTrue();
        assertThat(store.health().detail()).contains("0 of 100");
    }
}
