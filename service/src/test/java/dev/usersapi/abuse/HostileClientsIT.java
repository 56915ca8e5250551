package dev.usersapi.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.support.ImageJvm;
import dev.usersapi.support.ServiceProcess;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The heap-sensitive abuse of issue #15 on the packaged service with the image's JVM flags (about 38 MiB of
 * heap, 25.6 MiB of it the old generation): an idle-connection flood far beyond the connection cap, and a flood of invented methods and paths.
 * Before the fix each ended with OutOfMemoryError and the JVM's exit.
 */
class HostileClientsIT {
    /** The old generation at the image's flags (15% of 256 MiB, NewRatio=2): what stays must fit in it. */
    private static final double OLD_GENERATION_MIB = 25.6;

    private static final Pattern HEAP_USED = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"} (\\S+)$");
    private static final Pattern DURATION_SERIES = Pattern.compile("(?m)^http_request_duration_seconds_count\\{");

    @Test
    void idleConnectionsBeyondTheCapNeitherExhaustTheHeapNorLockOutTheAdminSocket() throws Exception {
        int cap = 128; // the shipped default (application.yaml)
        try (ServiceProcess service = ServiceProcess.start(Map.of(), ImageJvm.flags())) {
            List<Socket> idle = new ArrayList<>();
            try {
                // 2,000 connections crashed the service before; those beyond the cap wait in the accept queue
                // (or time out once the kernel's queue is full), costing the JVM nothing.
                int refused = 0;
                for (int i = 0; i < 2_000 && refused < 5; i++) {
                    Socket socket = new Socket();
                    try {
                        socket.connect(new InetSocketAddress("127.0.0.1", service.httpPort()), 200);
                        idle.add(socket);
                    } catch (IOException queueFull) {
                        socket.close();
                        refused++;
                    }
                }
                assertThat(idle).as("connections the kernel took").hasSizeGreaterThan(cap * 2);
                ServiceProcess.sleep(1_000);
                assertThat(service.admin().get("/health/ready").status()).isEqualTo(200);
                double heapMiB = heapUsed(service) / (1024 * 1024);
                System.out.printf(
                        "idle flood: %d connections open (cap %d), heap used %.1f MiB%n", idle.size(), cap, heapMiB);
                assertThat(heapMiB)
                        .as("heap used with the socket full of idle connections")
                        .isLessThan(OLD_GENERATION_MIB);
            } finally {
                for (Socket socket : idle) {
                    socket.close();
                }
            }
            // Slots come free as the server sees the clients close.
            assertThat(service.http().get("/api/users").status()).isEqualTo(200);
            assertThat(service.stdout()).noneMatch(line -> line.contains("\"level\":\"ERROR\""));
        }
    }

    @Test
    void inventedMethodsAndPathsAddNoSeries() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of(), ImageJvm.flags())) {
            Random random = new Random(15);
            int requests = 6_000;
            int perConnection = 200;
            for (int c = 0; c < requests / perConnection; c++) {
                try (Socket socket = new Socket("127.0.0.1", service.httpPort())) {
                    socket.setSoTimeout(10_000);
                    StringBuilder batch = new StringBuilder();
                    for (int i = 0; i < perConnection; i++) {
                        String method = letters(random, 200);
                        String path = i % 2 == 0 ? "/api/users" : "/" + letters(random, 100);
                        batch.append(method)
                                .append(' ')
                                .append(path)
                                .append(" HTTP/1.1\r\nHost: x\r\n")
                                .append(i == perConnection - 1 ? "Connection: close\r\n" : "")
                                .append("\r\n");
                    }
                    OutputStream out = socket.getOutputStream();
                    out.write(batch.toString().getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    socket.getInputStream().readAllBytes(); // every answer, then the close we asked for
                }
            }
            String metrics = service.admin().get("/metrics").text();
            long series = DURATION_SERIES.matcher(metrics).results().count();
            // method "other" x route {"/api/users", "unmatched"} x status {405, 404}, plus the scrape's own ready check
            assertThat(series)
                    .as(metrics.lines()
                            .filter(l -> l.startsWith("http_request_duration_seconds_count"))
                            .toList()
                            .toString())
                    .isLessThanOrEqualTo(4);
            assertThat(metrics).contains("method=\"other\"").doesNotContain(letters(new Random(15), 200));
            double heapMiB = heapUsed(service) / (1024 * 1024);
            System.out.printf("method flood: %d requests, %d series, heap used %.1f MiB%n", requests, series, heapMiB);
            assertThat(heapMiB).isLessThan(OLD_GENERATION_MIB);
            assertThat(service.http().get("/api/users").status()).isEqualTo(200);
        }
    }

    private static double heapUsed(ServiceProcess service) {
        Matcher m = HEAP_USED.matcher(service.admin().get("/metrics").text());
        assertThat(m.find()).as("jvm_memory_used_bytes{area=heap} is exported").isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static String letters(Random random, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append((char) ('A' + random.nextInt(26)));
        }
        return s.toString();
    }
}
