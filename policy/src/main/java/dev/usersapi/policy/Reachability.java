package dev.usersapi.policy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether a URL's host can be reached from here: its name resolves and its port accepts a TCP connection. This is the
 * cause of "offline" itself, so no tool's error text has to be read: a DNS server that answers SERVFAIL, a missing
 * resolver, no route, a firewall that drops packets all end as a failed resolution or connection.
 */
final class Reachability {

    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Reachability() {}

    /** True if the host of {@code url} resolves and its port (or the scheme's default) accepts a connection in time. */
    static boolean reachable(URI url, Duration timeout) {
        String host = url.getHost();
        if (host == null) {
            return false;
        }
        int port = url.getPort() >= 0 ? url.getPort() : "http".equals(url.getScheme()) ? 80 : 443;
        // Resolution has no timeout of its own (the resolver's retries can take tens of seconds): bound it here.
        CompletableFuture<InetAddress> lookup = CompletableFuture.supplyAsync(() -> {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                return null;
            }
        });
        try {
            InetAddress address = lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (address == null) {
                return false;
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, port), (int) timeout.toMillis());
                return true;
            }
        } catch (TimeoutException | ExecutionException | IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
