package dev.usersapi.it;

import static dev.usersapi.support.TestTokens.ADMIN;
import static dev.usersapi.support.TestTokens.WRITER;
import static dev.usersapi.support.TestTokens.bearer;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.support.Await;
import dev.usersapi.support.HttpResult;
import dev.usersapi.support.PostgresExtension;
import dev.usersapi.support.RawHttp;
import dev.usersapi.support.ServiceProcess;
import dev.usersapi.support.TestPostgres;
import dev.usersapi.support.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two packaged service processes on one PostgreSQL database, as two pods: they see each other's writes,
 * racing creates of one email give exactly one 201, and nothing acknowledged is lost to kill -9.
 */
class PostgresTwoServicesIT {
    private static final String JSON = "Content-Type: application/json";

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension(PostgresTwoServicesIT.class);

    @TempDir
    static Path dir;

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(TestPostgres.env(POSTGRES.database()));
        env.put("USERS_API_TOKENS_FILE", TestTokens.writeTokensFile(dir).toString());
        env.put("USERS_API_DRAIN_SECONDS", "0");
        return env;
    }

    private static HttpResult create(RawHttp http, String name, String email) {
        return http.post("/api/users", "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}", JSON, bearer(WRITER));
    }

    @Test
    void twoServicesShareOneDatabase() throws Exception {
        try (ServiceProcess a = ServiceProcess.start(env());
                ServiceProcess b = ServiceProcess.start(env())) {
            HttpResult created = create(a.http(), "Shared", "shared@example.org");
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            String id = created.json().get("id").asText();
            HttpResult read = b.http().get("/api/users/" + id);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().get("email").asText()).isEqualTo("shared@example.org");
            assertThat(b.http().delete("/api/users/" + id, bearer(ADMIN)).status())
                    .isEqualTo(204);
            assertThat(a.http().get("/api/users/" + id).status()).isEqualTo(404);

            int racers = 100;
            CountDownLatch go = new CountDownLatch(1);
            ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                RawHttp http = (i % 2 == 0 ? a : b).http();
                String email = i % 3 == 0 ? "Race@Example.org" : "race@example.org";
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                        statuses.add(create(http, "Racer", email).status());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            go.countDown();
            for (Thread t : threads) {
                t.join(30_000);
            }
            Map<Integer, Long> byStatus =
                    statuses.stream().collect(Collectors.groupingBy(s -> s, Collectors.counting()));
            System.out.println("100 racing creates of one email over two services: " + byStatus);
            assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(201, 1L, 409, 99L));
        }
    }

    @Test
    void everyAcknowledgedCreateSurvivesKill9AndADatabaseCrash() throws Exception {
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        AtomicInteger sent = new AtomicInteger();
        ServiceProcess service = ServiceProcess.start(env());
        try (service) {
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 6; w++) {
                int writer = w;
                writers.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String email = "durable" + writer + "-" + i + "@example.org";
                        sent.incrementAndGet();
                        try {
                            HttpResult res = create(service.http(), "Durable", email);
                            if (res.status() == 201) {
                                acknowledged.put(res.json().get("id").asText(), email);
                            }
                        } catch (RuntimeException killed) {
                            return;
                        }
                    }
                }));
            }
            // A burst of at least 200 acknowledged creates: a count, however busy the machine is.
            Await.until(
                    "200 acknowledged creates",
                    Duration.ofMinutes(2),
                    () -> acknowledged.size() >= 200,
                    () -> acknowledged.size() + " so far");
            // Killed while the burst is still under way: in-flight creates may or may not have happened, but
            // every one answered 201 must be in the database.
            service.kill();
            stop.set(true);
            for (Thread t : writers) {
                t.join(10_000);
            }
        }
        // And the database itself stops without a checkpoint: acknowledged means committed to the WAL.
        POSTGRES.server().crash();
        POSTGRES.server().start();
        int found = 0;
        try (ServiceProcess restarted = ServiceProcess.start(env())) {
            for (Map.Entry<String, String> user : acknowledged.entrySet()) {
                HttpResult res = restarted.http().get("/api/users/" + user.getKey());
                if (res.status() == 200 && res.json().get("email").asText().equals(user.getValue())) {
                    found++;
                }
            }
            long total = restarted.http().get("/api/users").json().get("total").asLong();
            System.out.printf(
                    "durability: %d creates sent, %d acknowledged (201), %d found after kill -9 of the"
                            + " service and an immediate stop of PostgreSQL; %d rows stored%n",
                    sent.get(), acknowledged.size(), found, total);
            assertThat(total).isGreaterThanOrEqualTo(acknowledged.size());
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(200);
        assertThat(found).isEqualTo(acknowledged.size());
    }
}
