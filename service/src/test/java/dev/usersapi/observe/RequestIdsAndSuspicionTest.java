package dev.usersapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestIdsAndSuspicionTest {
    @Test
    void keepsASaneRequestIdAndReplacesTheRest() {
        assertThat(RequestIds.fromHeader(Optional.of("req-1.2:3_x"))).isEqualTo("req-1.2:3_x");
        assertThat(RequestIds.fromHeader(Optional.of(" padded "))).isEqualTo("padded");
        for (String bad : new String[] {"", "a b", "x\"y", "line\nbreak", "é", "x".repeat(129)}) {
            assertThat(RequestIds.fromHeader(Optional.of(bad))).as(bad).matches("[0-9a-f-]{36}");
        }
    }

    @Test
    void generatesDistinctVersion4Uuids() {
        Set<String> ids = new HashSet<>();
        for (int n = 0; n < 10_000; n++) {
            String id = RequestIds.fromHeader(Optional.empty());
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(ids.add(id)).as(id).isTrue();
        }
    }

    @ParameterizedTest
    @CsvSource({
        "/api/users, sqlmap/1.7, scanner_user_agent",
        "/api/users, Mozilla/5.0 (compatible; Nuclei), scanner_user_agent",
        "/, Nikto/2.5, scanner_user_agent",
        "/api/../../etc/passwd, curl/8, path_traversal",
        "/api/%2E%2E/x, curl/8, path_traversal",
        "/.env, curl/8, probe_path",
        "/wp-admin/setup.php, curl/8, probe_path",
        "/.git/config, curl/8, probe_path",
    })
    void recognisesScansAndProbes(String path, String agent, String reason) {
        assertThat(SuspiciousRequests.reason(path, agent)).contains(reason);
    }

    @Test
    void everyListedScannerIsRecognisedAndTheListIsPlainLowerCase() {
        assertThat(SuspiciousRequests.SCANNER_AGENTS)
                .hasSizeGreaterThan(10)
                .doesNotHaveDuplicates()
                .allMatch(agent -> agent.matches("[a-z0-9/ -]+"), "lower case letters, digits, space, / and - only");
        for (String agent : SuspiciousRequests.SCANNER_AGENTS) {
            assertThat(SuspiciousRequests.reason("/", "X " + agent.toUpperCase(java.util.Locale.ROOT) + " 1.0"))
                    .as(agent)
                    .contains("scanner_user_agent");
        }
    }

    @ParameterizedTest
    @CsvSource({"/api/users, curl/8.0", "/api/users/abc, Mozilla/5.0", "/, kube-probe/1.32", "/api/users, ''"})
    void leavesOrdinaryRequestsAlone(String path, String agent) {
        assertThat(SuspiciousRequests.reason(path, agent)).isEmpty();
    }
}
