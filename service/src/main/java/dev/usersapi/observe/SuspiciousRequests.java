package dev.usersapi.observe;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises requests that look like an attack or a scan, so they show up as {@code suspicious_request}
 * security events. Detection only: the request is still answered normally (usually 404).
 */
public final class SuspiciousRequests {
    /** User-agent fragments of common scanners and attack tools. */
    static final List<String> SCANNER_AGENTS = List.of(
            "sqlmap", "nikto", "nmap", "masscan", "zgrab", "nuclei", "gobuster", "dirbuster", "wfuzz",
            "ffuf", "acunetix", "nessus", "openvas", "w3af", "hydra", "feroxbuster", "whatweb", "zap/");
    /** Paths that only probes for leaked files or foreign admin consoles ask for. */
    private static final List<String> PROBE_PATHS = List.of(
            "/.env", "/.git", "/wp-admin", "/wp-login", "/phpmyadmin", "/.aws", "/actuator", "/server-status",
            "/etc/passwd", "/cgi-bin", "/.ssh", "/admin.php", "/xmlrpc.php");

    private SuspiciousRequests() {
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
