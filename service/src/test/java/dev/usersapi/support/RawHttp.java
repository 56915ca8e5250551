package dev.usersapi.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately minimal HTTP/1.1 client over a plain socket, so tests can send exactly the bytes they
 * mean (wrong content types, lying lengths, odd paths) that a real client library would refuse to send.
 */
public final class RawHttp {
    private final int port;

    public RawHttp(int port) {
        this.port = port;
    }

    public HttpResult get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    public HttpResult post(String path, String body, String... headers) {
        return send("POST", path, body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
    }

    /** A HEAD request: status and header fields only, whatever Content-Length says. */
    public HttpResult head(String path, String... headers) {
        return send("HEAD", path, null, headers);
    }

    public HttpResult delete(String path, String... headers) {
        return send("DELETE", path, null, headers);
    }

    /**
     * Headers as "Name: value" strings; Content-Length is added for a body unless one is given, and
     * "Connection: close" unless a Connection header is given.
     */
    public HttpResult send(String method, String path, byte[] body, String... headers) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        boolean hasLength = false;
        boolean hasConnection = false;
        for (String h : headers) {
            hasConnection |= h.toLowerCase(Locale.ROOT).startsWith("connection:");
            head.append(h).append("\r\n");
            hasLength |= h.toLowerCase(Locale.ROOT).startsWith("content-length:")
                    || h.toLowerCase(Locale.ROOT).startsWith("transfer-encoding:");
        }
        if (body != null && !hasLength) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        // One request per connection unless the test asks for keep-alive (then the response is still
        // read by its length and the socket closed afterwards).
        head.append(hasConnection ? "" : "Connection: close\r\n").append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        return sendRaw(body == null ? headBytes : concat(headBytes, body), method.equals("HEAD"));
    }

    public HttpResult sendRaw(byte[] request) {
        return sendRaw(request, false);
    }

    private HttpResult sendRaw(byte[] request, boolean head) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // The server may answer and close before reading a large body; read what it said.
            }
            return head ? readHead(socket.getInputStream()) : read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the response to a HEAD request: no body follows the header fields (RFC 9110 §9.3.2). */
    public static HttpResult readHead(InputStream in) throws IOException {
        return read(in, true);
    }

    /** Reads one response off a connection: by Content-Length, chunked, or to the end of the stream. */
    public static HttpResult read(InputStream in) throws IOException {
        return read(in, false);
    }

    private static HttpResult read(InputStream in, boolean head) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.1 ")) {
            throw new IOException("no HTTP response, got: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String l = line(in); l != null && !l.isEmpty(); l = line(in)) {
            int colon = l.indexOf(':');
            headers.computeIfAbsent(l.substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(l.substring(colon + 1).strip());
        }
        byte[] body;
        List<String> length = headers.get("content-length");
        if (head) {
            body = new byte[0];
        } else if (length != null) {
            body = in.readNBytes(Integer.parseInt(length.get(0)));
        } else if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
            body = chunked(in);
        } else {
            body = in.readAllBytes();
        }
        return new HttpResult(status, headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int size = Integer.parseInt(sizeLine.split(";")[0].strip(), 16);
            if (size == 0) {
                line(in);
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            buf.write(c);
        }
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
