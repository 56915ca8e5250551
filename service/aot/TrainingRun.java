import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the image's AOT cache (service/Dockerfile): starts the service with the command it is
 * given (which carries -XX:AOTCacheOutput), drives the API mix a deployed instance serves, stops it with
 * SIGTERM as Kubernetes does, and fails unless every answer was the expected one and the cache was written.
 * The JVM writes the cache while it exits, from the classes and profiles this run used: a request kind left
 * out here is loaded from the jars at its first use in production, so the mix covers every route and every
 * error path (problem+json answers), the admin socket and the authenticated writes.
 *
 * <p>Uses only java.base: it runs on the image's own jlink'ed runtime, in the image's file system, so that
 * the jars, the runtime and the JVM flags the cache validates are the ones shipped. The tokens file it writes
 * for the writes lives in a temporary directory of the training stage only.
 *
 * <p>Usage: {@code java TrainingRun.java CACHE_FILE APP_COMMAND...}
 */
public final class TrainingRun {
    private static final int ROUNDS = 40;
    private static final long READY_TIMEOUT_MS = 60_000;
    private static final long EXIT_TIMEOUT_S = 300; // the cache is assembled at exit: minutes on a slow builder

    private final String http;
    private final String admin;
    private final String writerToken;
    private final String adminToken;

    private TrainingRun(int httpPort, int adminPort, String writerToken, String adminToken) {
        this.http = "http://127.0.0.1:" + httpPort;
        this.admin = "http://127.0.0.1:" + adminPort;
        this.writerToken = writerToken;
        this.adminToken = adminToken;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java TrainingRun.java CACHE_FILE APP_COMMAND...");
            System.exit(2);
        }
        Path cache = Path.of(args[0]);
        List<String> command = List.of(args).subList(1, args.length);
        Path secrets = Files.createTempDirectory("training-tokens");
        String writerToken = newToken();
        String adminToken = newToken();
        Path tokens = secrets.resolve("tokens");
        Files.writeString(tokens, "writer " + sha256Hex(writerToken) + "\nadmin " + sha256Hex(adminToken) + "\n");

        int httpPort = freePort();
        int adminPort = freePort();
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        Map<String, String> env = builder.environment();
        env.put("HTTP_PORT", Integer.toString(httpPort));
        env.put("ADMIN_PORT", Integer.toString(adminPort));
        env.put("SERVER_HOST", "127.0.0.1"); // nothing outside the build sandbox needs to reach it
        env.put("USERS_API_TOKENS_FILE", tokens.toString());
        env.put("USERS_API_DRAIN_SECONDS", "0");
        Process app = builder.start();
        try {
            TrainingRun run = new TrainingRun(httpPort, adminPort, writerToken, adminToken);
            run.awaitReady(app);
            for (int round = 0; round < ROUNDS; round++) {
                run.round(round);
            }
            System.out.println("training: " + ROUNDS + " rounds of the API mix answered as expected");
        } catch (Exception | AssertionError e) {
            app.destroyForcibly();
            throw e;
        } finally {
            Files.deleteIfExists(tokens);
            Files.deleteIfExists(secrets);
        }
        app.destroy(); // SIGTERM: the service's own shutdown path, then the JVM writes the cache
        if (!app.waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS)) {
            app.destroyForcibly();
            fail("the service did not exit within " + EXIT_TIMEOUT_S + " s of SIGTERM");
        }
        int exit = app.exitValue();
        if (exit != 0 && exit != 143) {
            fail("the service exited with " + exit + " after SIGTERM, expected 0 or 143");
        }
        if (!Files.isRegularFile(cache) || Files.size(cache) == 0) {
            fail("no AOT cache at " + cache + " after the training run");
        }
        System.out.println("training: AOT cache " + cache + " written, " + Files.size(cache) + " bytes");
    }

    private void awaitReady(Process app) throws InterruptedException {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (true) {
            if (!app.isAlive()) {
                fail("the service exited with " + app.exitValue() + " before it was ready");
            }
            try {
                if (call("GET", admin + "/health/ready", null, null, null).status == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the sockets open late in the start
            }
            if (System.currentTimeMillis() > deadline) {
                fail("the service was not ready after " + READY_TIMEOUT_MS + " ms");
            }
            Thread.sleep(20);
        }
    }

    /** One pass over every route and answer kind; the email is unique per round so that the create succeeds. */
    private void round(int n) throws IOException {
        expect(200, "GET", http + "/", null, null, null);
        expect(200, "GET", http + "/api/users", null, null, null);
        expect(200, "GET", http + "/api/users?limit=5&offset=0", null, null, null);
        expectProblem(400, "GET", http + "/api/users?limit=not-a-number", null, null, null);
        expectProblem(404, "GET", http + "/api/users/" + UUID.randomUUID(), null, null, null);
        expectProblem(404, "GET", http + "/no/such/route", null, null, null);
        expectProblem(405, "PUT", http + "/api/users", null, null, null);

        String user = "{\"name\":\"Training " + n + "\",\"email\":\"training-" + n + "@example.org\"}";
        expectProblem(401, "POST", http + "/api/users", null, "application/json", user);
        expectProblem(415, "POST", http + "/api/users", writerToken, "text/plain", user);
        expectProblem(400, "POST", http + "/api/users", writerToken, "application/json", "{\"name\":");
        expectProblem(400, "POST", http + "/api/users", writerToken, "application/json", "{\"name\":\"\",\"email\":\"x\"}");
        Answer created = expect(201, "POST", http + "/api/users", writerToken, "application/json", user);
        String location = created.location;
        if (location == null || !location.startsWith("/api/users/")) {
            fail("POST /api/users answered 201 without a Location under /api/users/: " + location);
        }
        expectProblem(409, "POST", http + "/api/users", writerToken, "application/json", user);
        expect(200, "GET", http + location, null, null, null);
        expectProblem(403, "DELETE", http + location, writerToken, null, null);
        expect(204, "DELETE", http + location, adminToken, null, null);
        expectProblem(404, "DELETE", http + location, adminToken, null, null);

        expect(200, "GET", admin + "/metrics", null, null, null);
        expect(200, "GET", admin + "/health/ready", null, null, null);
        expect(200, "GET", admin + "/health/started", null, null, null);
        expectAnyOf(admin + "/health/live");
        expectAnyOf(admin + "/health");
    }

    private Answer expect(int status, String method, String url, String token, String type, String body)
            throws IOException {
        Answer answer = call(method, url, token, type, body);
        if (answer.status != status) {
            fail(method + " " + url + " answered " + answer.status + ", expected " + status);
        }
        return answer;
    }

    private void expectProblem(int status, String method, String url, String token, String type, String body)
            throws IOException {
        Answer answer = expect(status, method, url, token, type, body);
        if (answer.contentType == null || !answer.contentType.startsWith("application/problem+json")) {
            fail(method + " " + url + " answered " + status + " as " + answer.contentType
                    + ", expected application/problem+json");
        }
    }

    /** Health with or without details: 200 with a body or 204 without one, both healthy. */
    private void expectAnyOf(String url) throws IOException {
        int status = call("GET", url, null, null, null).status;
        if (status != 200 && status != 204) {
            fail("GET " + url + " answered " + status + ", expected 200 or 204");
        }
    }

    private record Answer(int status, String contentType, String location) {}

    private static Answer call(String method, String url, String token, String type, String body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
        connection.setConnectTimeout(2_000);
        connection.setReadTimeout(10_000);
        connection.setRequestMethod(method);
        if (token != null) {
            connection.setRequestProperty("Authorization", "Bearer " + token);
        }
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", type);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = connection.getResponseCode();
        // Read the body to the end, so that the connection goes back to the keep-alive pool.
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
        return new Answer(status, connection.getContentType(), connection.getHeaderField("Location"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static String sha256Hex(String token) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static void fail(String why) {
        throw new AssertionError("training run failed: " + why);
    }
}
