package dev.usersapi.api;

import dev.usersapi.store.Page;
import dev.usersapi.store.User;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * What writing one page of {@code GET /api/users} costs: heap allocated and CPU time per page of 20 users, written on
 * one thread (a kept-alive connection: Helidon serves all its requests on the connection's virtual thread) and each
 * on a fresh virtual thread (a connection per request). A measurement to run by hand, not a test:
 *
 * <pre>
 * ./mvnw -B -ntp -pl service test-compile dependency:copy-dependencies -DincludeScope=test
 * java -XX:+UseSerialGC -cp 'service/target/test-classes:service/target/classes:service/target/dependency/*' \
 *     dev.usersapi.api.UserJsonCostRun
 * </pre>
 */
final class UserJsonCostRun {
    private static final int USERS = 20;
    private static final int PAGES = 200_000;
    private static final int ROUNDS = 7;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private UserJsonCostRun() {}

    public static void main(String[] args) throws InterruptedException {
        Page page = page();
        System.out.printf("page of %d users: %d bytes of JSON%n", USERS, UserJson.page(page, USERS, 0).length);
        long[] bytes = new long[ROUNDS];
        long[] nanos = new long[ROUNDS];
        long sink = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long allocated = THREADS.getCurrentThreadAllocatedBytes();
            long start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < PAGES; i++) {
                sink += UserJson.page(page, USERS, 0).length;
            }
            nanos[round] = (THREADS.getCurrentThreadCpuTime() - start) / PAGES;
            bytes[round] = (THREADS.getCurrentThreadAllocatedBytes() - allocated) / PAGES;
        }
        System.out.printf("one thread:         %s B/page, %s ns of CPU/page (rounds)%n", list(bytes), list(nanos));
        for (int round = 0; round < ROUNDS; round++) {
            long empty = perVirtualThread(() -> {});
            long writing = perVirtualThread(() -> UserJson.page(page, USERS, 0));
            bytes[round] = writing - empty;
        }
        System.out.printf("new virtual thread: %s B/page beyond the thread itself (rounds)%n", list(bytes));
        if (sink == 42) {
            System.out.println();
        }
    }

    /** Heap allocated by all threads, per task, running each task on its own virtual thread one after another. */
    private static long perVirtualThread(Runnable task) throws InterruptedException {
        int tasks = PAGES / 10;
        long allocated = THREADS.getTotalThreadAllocatedBytes();
        for (int i = 0; i < tasks; i++) {
            Thread.ofVirtual().start(task).join();
        }
        return (THREADS.getTotalThreadAllocatedBytes() - allocated) / tasks;
    }

    private static String list(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return "median " + sorted[sorted.length / 2] + " " + Arrays.toString(values);
    }

    private static Page page() {
        SplittableRandom random = new SplittableRandom(20);
        List<User> users = new ArrayList<>();
        Instant created = Instant.parse("2026-11-30T01:00:00Z");
        for (int i = 0; i < USERS; i++) {
            users.add(new User(
                    new UUID(random.nextLong(), random.nextLong()),
                    "User Number " + i,
                    "user.number." + i + "@example.org",
                    created.plusNanos(random.nextLong(1_000_000_000_000L))));
        }
        return new Page(List.copyOf(users), 100);
    }
}
