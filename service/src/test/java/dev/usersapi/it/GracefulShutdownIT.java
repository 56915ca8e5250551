package dev.usersapi.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.support.Await;
import dev.usersapi.support.HttpResult;
import dev.usersapi.support.PostgresExtension;
import dev.usersapi.support.ServiceProcess;
import dev.usersapi.support.TestPostgres;
import dev.usersapi.support.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SIGTERM under load, on the real packaged service, on each store: readiness must be seen DOWN, every
 * request sent before that must succeed, and the process must exit cleanly with nothing logged as an error.
 */
class GracefulShutdownIT {
    private static final int DRAIN_SECONDS = 2;
    /** Requests answered before SIGTERM: enough for "none of them failed" to mean something. */
    private static final int WARM_UP_REQUESTS = 150;

    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension(GracefulShutdownIT.class);

    /** One request's fate: when it was sent (nanoTime) and whether it got a 2xx. */
    record Outcome(long sentAt, boolean ok, String detail) {}

    @ParameterizedTest(name = "on the {0} store")
    @ValueSource(strings = {"in-memory", "postgresql"})
    void drainsThenStopsWithoutFailingARequest(String store, @TempDir Path dir) throws Exception {
        Path tokens = TestTokens.writeTokensFile(dir);
        Map<String, String> env = new HashMap<>(Map.of(
                "USERS_API_DRAIN_SECONDS", Integer.toString(DRAIN_SECONDS),
                "USERS_API_TOKENS_FILE", tokens.toString()));
        if (store.equals("postgresql")) {
            env.putAll(TestPostgres.env(POSTGRES.database()));
        }
        try (ServiceProcess service = ServiceProcess.start(env)) {
            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong readinessDownAt = new AtomicLong(Long.MAX_VALUE);
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                clients.add(Thread.ofPlatform().start(() -> rawClient(service, stop, outcomes)));
            }
            for (int i = 0; i < 3; i++) {
                int n = i;
                clients.add(Thread.ofPlatform().start(() -> keepAliveClient(service, n, stop, outcomes)));
            }
            Thread poller = Thread.ofPlatform().start(() -> pollReadiness(service, stop, readinessDownAt));

            // A count, not a time: however busy the machine is, SIGTERM comes after this much traffic.
            Await.until(
                    WARM_UP_REQUESTS + " requests answered before SIGTERM",
                    Duration.ofMinutes(2),
                    () -> outcomes.size() >= WARM_UP_REQUESTS,
                    () -> outcomes.size() + " so far");
            long sigtermAt = System.nanoTime();
            service.terminate();
            int exit = service.awaitExit(Duration.ofSeconds(DRAIN_SECONDS + 20));
            long exitedAt = System.nanoTime();
            stop.set(true);
            for (Thread t : clients) {
                t.join(10_000);
            }
            poller.join(10_000);

            assertThat(readinessDownAt.get())
                    .as("readiness observed DOWN (503) during the drain")
                    .isLessThan(exitedAt)
                    .isGreaterThanOrEqualTo(sigtermAt);
            List<Outcome> beforeDown = outcomes.stream()
                    .filter(o -> o.sentAt() < readinessDownAt.get())
                    .toList();
            assertThat(beforeDown)
                    .as("requests sent before readiness went DOWN (all answered before SIGTERM are)")
                    .hasSizeGreaterThanOrEqualTo(WARM_UP_REQUESTS);
            assertThat(beforeDown.stream().filter(o -> !o.ok()).toList())
                    .as("failed requests among those sent before readiness went DOWN")
                    .isEmpty();
            long drainWindowOk = outcomes.stream()
                    .filter(o -> o.sentAt() >= readinessDownAt.get() && o.ok())
                    .count();
            assertThat(drainWindowOk)
                    .as("requests still served during the drain")
                    .isPositive();
            assertThat(Duration.ofNanos(exitedAt - sigtermAt))
                    .as("exit after the drain, not before")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(DRAIN_SECONDS));

            assertThat(exit).as("exit status").isIn(0, 143);
            List<String> logs = service.stdout();
            assertThat(logs).noneMatch(l -> l.contains("\"level\":\"ERROR\""));
            assertThat(service.stderr()).as("stderr").isEmpty();
            assertThat(logs).anyMatch(l -> l.contains("readiness is DOWN"));
            assertThat(logs.get(logs.size() - 1)).contains("\"message\":\"stopped\"");
            System.out.printf(
                    "graceful shutdown on the " + store
                            + " store: %d requests before readiness DOWN (0 failed), %d served while"
                            + " draining, exit %d after %d ms%n",
                    beforeDown.size(),
                    drainWindowOk,
                    exit,
                    Duration.ofNanos(exitedAt - sigtermAt).toMillis());
        }
    }

    private static void rawClient(ServiceProcess service, AtomicBoolean stop, ConcurrentLinkedQueue<Outcome> out) {
        while (!stop.get()) {
            long sentAt = System.nanoTime();
            try {
                HttpResult res = service.http().get("/api/users?limit=5");
                out.add(new Outcome(sentAt, res.status() == 200, "status " + res.status()));
            } catch (RuntimeException e) {
                out.add(new Outcome(sentAt, false, e.toString()));
                ServiceProcess.sleep(20);
            }
        }
    }

    private static void keepAliveClient(
            ServiceProcess service, int n, AtomicBoolean stop, ConcurrentLinkedQueue<Outcome> out) {
        try (HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            int i = 0;
            while (!stop.get()) {
                long sentAt = System.nanoTime();
                boolean write = i++ % 4 == 0;
                HttpRequest request = write
                        ? HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/api/users"))
                                .header("Content-Type", "application/json")
                                .header("Authorization", "Bearer " + TestTokens.WRITER)
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"name\":\"Load\",\"email\":\"load" + n + "-" + i + "@example.org\"}"))
                                .timeout(Duration.ofSeconds(5))
                                .build()
                        : HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.httpPort() + "/api/users"))
                                .timeout(Duration.ofSeconds(5))
                                .build();
                try {
                    int status = client.send(request, HttpResponse.BodyHandlers.discarding())
                            .statusCode();
                    out.add(new Outcome(sentAt, status == (write ? 201 : 200), "status " + status));
                } catch (Exception e) {
                    out.add(new Outcome(sentAt, false, e.toString()));
                    ServiceProcess.sleep(20);
                }
            }
        }
    }

    private static void pollReadiness(ServiceProcess service, AtomicBoolean stop, AtomicLong downAt) {
        while (!stop.get() && downAt.get() == Long.MAX_VALUE) {
            try {
                if (service.admin().get("/health/ready").status() == 503) {
                    downAt.compareAndSet(Long.MAX_VALUE, System.nanoTime());
                }
            } catch (RuntimeException e) {
                // the admin socket closes at the end; DOWN must have been seen before that
            }
            ServiceProcess.sleep(10);
        }
    }
}
