package dev.usersapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service (target/users-api.jar) as a real child process on free loopback ports, its stdout
 * captured line by line: what the shutdown and contract tests drive.
 */
public final class ServiceProcess implements AutoCloseable {
    private final Process process;
    private final int httpPort;
    private final int adminPort;
    /** Files, not pipes: a pipe reader can lose the last lines when the child exits mid-read. */
    private final Path stdout;

    private final Path stderr;

    private ServiceProcess(Map<String, String> env, List<String> jvmFlags) throws IOException {
        Path jar = Path.of(System.getProperty("app.jar", "target/users-api.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist: run 'mvn package' (failsafe runs after it)");
        }
        httpPort = freePort();
        adminPort = freePort();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("HTTP_PORT", Integer.toString(httpPort));
        pb.environment().put("ADMIN_PORT", Integer.toString(adminPort));
        pb.environment().put("SERVER_HOST", "127.0.0.1");
        pb.environment().putAll(env);
        Path dir = Files.createTempDirectory("users-api-process");
        stdout = dir.resolve("stdout.jsonl");
        stderr = dir.resolve("stderr.txt");
        pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        process = pb.start();
    }

    public static ServiceProcess start(Map<String, String> env) {
        return start(env, List.of("-Xmx128m"));
    }

    /** With the JVM flags given instead of a plain heap limit, e.g. {@link ImageJvm#flags()}. */
    public static ServiceProcess start(Map<String, String> env, List<String> jvmFlags) {
        try {
            ServiceProcess p = new ServiceProcess(env, jvmFlags);
            p.awaitReady(Duration.ofSeconds(30));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns once the server listens (startup probe UP), whether or not its store can serve yet. */
    public static ServiceProcess startListening(Map<String, String> env) {
        try {
            ServiceProcess p = new ServiceProcess(env, List.of("-Xmx128m"));
            p.await("/health/started", Duration.ofSeconds(30));
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until readiness is UP. */
    public void awaitReady(Duration timeout) {
        await("/health/ready", timeout);
    }

    /** SIGKILL: no shutdown hook, no drain, as when the node dies or the OOM killer strikes. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public RawHttp http() {
        return new RawHttp(httpPort);
    }

    public RawHttp admin() {
        return new RawHttp(adminPort);
    }

    public int httpPort() {
        return httpPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM, as the kubelet sends it. */
    public void terminate() {
        process.destroy();
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("service did not exit within " + timeout + "; last output: " + tail());
        }
        return process.exitValue();
    }

    public List<String> stdout() {
        return lines(stdout);
    }

    public List<String> stderr() {
        return lines(stderr);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private void await(String healthPath, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited with " + process.exitValue() + ": " + tail());
            }
            try {
                if (admin().get(healthPath).status() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            sleep(50);
        }
        throw new AssertionError("service " + healthPath + " not UP within " + timeout + ": " + tail());
    }

    private String tail() {
        List<String> out = stdout();
        return String.join("\n", out.subList(Math.max(0, out.size() - 20), out.size())) + "\n" + stderr();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
