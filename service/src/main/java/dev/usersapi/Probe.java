package dev.usersapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Container health probe without a shell or curl: exits 0 if the admin socket's /health/ready answers
 * 200, 1 otherwise. Deliberately JDK-only and tiny, since it starts a JVM on every probe.
 * Usage: {@code java -cp users-api.jar dev.usersapi.Probe [port]} (default: $ADMIN_PORT, else 8081).
 */
public final class Probe {
    private static final int TIMEOUT_MS = 2_000;
    private static final byte[] LOOPBACK = {127, 0, 0, 1};

    private Probe() {}

    public static void main(String[] args) {
        String port = args.length > 0 ? args[0] : System.getenv().getOrDefault("ADMIN_PORT", "8081");
        int status;
        try {
            status = status(Integer.parseInt(port), "/health/ready");
        } catch (NumberFormatException e) {
            System.err.println("probe: not a port number: " + port);
            System.exit(2);
            return;
        } catch (IOException e) {
            System.err.println("probe: no answer on port " + port + ": " + e.getMessage());
            System.exit(1);
            return;
        }
        if (status != 200) {
            System.err.println("probe: /health/ready answered " + status);
        }
        System.exit(status == 200 ? 0 : 1);
    }

    static int status(int port, String path) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByAddress(LOOPBACK), port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = in.readNBytes(12); // "HTTP/1.1 200"
            String statusLine = new String(head, StandardCharsets.US_ASCII);
            if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
                throw new IOException("not an HTTP response");
            }
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }
}
