package dev.usersapi.observe;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises requests that look like an attack or a scan, so they show up as {@code suspicious_request}
 * security events. Detection only: the request is still answered normally (usually 404).
 */
public final class SuspiciousRequests {
    /** The list of scanner user-agent fragments shared with the security dashboard. */
    static final String SCANNER_AGENTS_RESOURCE = "/scanner-user-agents.txt";
    /** User-agent fragments of common scanners and attack tools (lower case), from {@link #SCANNER_AGENTS_RESOURCE}. */
    static final List<String> SCANNER_AGENTS = scannerAgents();
    /** Paths that only probes for leaked files or foreign admin consoles ask for. */
    private static final List<String> PROBE_PATHS = List.of(
            "/.env",
            "/.git",
            "/wp-admin",
            "/wp-login",
            "/phpmyadmin",
            "/.aws",
            "/actuator",
            "/server-status",
            "/etc/passwd",
            "/cgi-bin",
            "/.ssh",
            "/admin.php",
            "/xmlrpc.php");

    private SuspiciousRequests() {}

    private static List<String> scannerAgents() {
        try (InputStream in = SuspiciousRequests.class.getResourceAsStream(SCANNER_AGENTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SCANNER_AGENTS_RESOURCE + " is missing from the class path");
            }
            List<String> agents = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .toList();
            if (agents.isEmpty()) {
                throw new IllegalStateException(SCANNER_AGENTS_RESOURCE + " lists no user agent");
            }
            return agents;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The reason a request is suspicious, or empty for an ordinary request. */
    public static Optional<String> reason(String rawPath, String userAgent) {
        String agent = userAgent.toLowerCase(Locale.ROOT);
        for (String scanner : SCANNER_AGENTS) {
            if (agent.contains(scanner)) {
                return Optional.of("scanner_user_agent");
            }
        }
        String path = rawPath.toLowerCase(Locale.ROOT);
        if (path.contains("..") || path.contains("%2e%2e") || path.contains("%2e.") || path.contains(".%2e")) {
            return Optional.of("path_traversal");
        }
        for (String probe : PROBE_PATHS) {
            if (path.startsWith(probe)) {
                return Optional.of("probe_path");
            }
        }
        return Optional.empty();
    }
}
