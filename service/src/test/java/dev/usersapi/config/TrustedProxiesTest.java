package dev.usersapi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {
    private static final TrustedProxies GATEWAY_PODS = TrustedProxies.parse("10.244.0.0/16, fd00:10:244::/56");

    private static Optional<InetAddress> peer(String literal) {
        return TrustedProxies.literal(literal);
    }

    private static String client(TrustedProxies proxies, String peer, List<String> xff, List<String> forwarded) {
        return proxies.clientIp(peer(peer), xff, forwarded);
    }

    @Test
    void nobodyIsTrustedByDefault() {
        assertThat(TrustedProxies.parse("").isEmpty()).isTrue();
        assertThat(TrustedProxies.parse(" , ")).isSameAs(TrustedProxies.none());
        assertThat(client(TrustedProxies.none(), "10.244.1.7", List.of("203.0.113.9"), List.of()))
                .isEqualTo("10.244.1.7");
    }

    @Test
    void spoofedHeadersFromAnUntrustedPeerAreIgnored() {
        assertThat(client(GATEWAY_PODS, "198.51.100.23", List.of("1.2.3.4"), List.of()))
                .isEqualTo("198.51.100.23");
        assertThat(client(GATEWAY_PODS, "198.51.100.23", List.of(), List.of("for=1.2.3.4")))
                .isEqualTo("198.51.100.23");
        // Even a header that names a trusted proxy changes nothing when the peer is not one.
        assertThat(client(GATEWAY_PODS, "198.51.100.23", List.of("10.244.0.5"), List.of()))
                .isEqualTo("198.51.100.23");
    }

    @Test
    void aChainThroughTrustedProxiesPicksTheFirstUntrustedHopFromTheRight() {
        // The client wrote 6.6.6.6 itself; the gateway appended the address it saw (203.0.113.9).
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of("6.6.6.6, 203.0.113.9"), List.of()))
                .isEqualTo("203.0.113.9");
        // Two trusted hops (an inner proxy in the pod network): both are skipped.
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of("6.6.6.6, 203.0.113.9, 10.244.3.3"), List.of()))
                .isEqualTo("203.0.113.9");
        // Several header lines are one list, in order.
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of("6.6.6.6", "203.0.113.9"), List.of()))
                .isEqualTo("203.0.113.9");
        // No header: the trusted peer is all we know.
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of(), List.of())).isEqualTo("10.244.1.7");
        // Only trusted hops: the leftmost one is the nearest thing to a client.
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of("10.244.9.9"), List.of()))
                .isEqualTo("10.244.9.9");
    }

    @Test
    void forwardedIsReadWhenThereIsNoXForwardedFor() {
        assertThat(client(
                        GATEWAY_PODS,
                        "10.244.1.7",
                        List.of(),
                        List.of("for=6.6.6.6, for=\"[2001:db8:cafe::17]:4711\";proto=https")))
                .isEqualTo("2001:db8:cafe:0:0:0:0:17");
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of(), List.of("proto=https;For=192.0.2.60:8080")))
                .isEqualTo("192.0.2.60");
        // X-Forwarded-For wins: the gateway maintains that one.
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of("203.0.113.9"), List.of("for=192.0.2.60")))
                .isEqualTo("203.0.113.9");
    }

    @Test
    void ipv6PeersHopsAndRanges() {
        assertThat(client(GATEWAY_PODS, "fd00:10:244::12", List.of("2001:db8::1"), List.of()))
                .isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(client(GATEWAY_PODS, "fd00:10:244::12", List.of("[2001:db8::1]:443"), List.of()))
                .isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(client(GATEWAY_PODS, "fd00:10:245::12", List.of("2001:db8::1"), List.of()))
                .isEqualTo("fd00:10:245:0:0:0:0:12");
        // An IPv4 hop with a port, through an IPv6 proxy.
        assertThat(client(GATEWAY_PODS, "fd00:10:244::12", List.of("203.0.113.9:51000"), List.of()))
                .isEqualTo("203.0.113.9");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "garbage",
                "",
                "unknown",
                "_hidden",
                "999.1.1.1",
                "example.com",
                "1.2.3",
                "::g",
                "[::1",
                "fe80::1%eth0",
                "\u0000",
                "1.2.3.4.5",
                "' OR 1=1 --"
            })
    void garbageEndsTheWalkAtTheLastHopBelieved(String garbage) {
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of(garbage), List.of()))
                .isEqualTo("10.244.1.7");
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of(garbage + ", 203.0.113.9"), List.of()))
                .isEqualTo("203.0.113.9");
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of(), List.of("for=" + garbage)))
                .isEqualTo("10.244.1.7");
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of(), List.of(garbage)))
                .isEqualTo("10.244.1.7");
    }

    @Test
    void aLongChainIsReadNoFurtherThanTheHopLimit() {
        String trustedHops = String.join(",", java.util.Collections.nCopies(TrustedProxies.MAX_HOPS + 5, "10.244.0.1"));
        assertThat(client(GATEWAY_PODS, "10.244.1.7", List.of("203.0.113.9," + trustedHops), List.of()))
                .isEqualTo("10.244.0.1");
    }

    @Test
    void cidrsAreParsedStrictly() {
        TrustedProxies one = TrustedProxies.parse("192.0.2.10");
        assertThat(client(one, "192.0.2.10", List.of("203.0.113.9"), List.of())).isEqualTo("203.0.113.9");
        assertThat(client(one, "192.0.2.11", List.of("203.0.113.9"), List.of())).isEqualTo("192.0.2.11");
        TrustedProxies all = TrustedProxies.parse("0.0.0.0/0");
        assertThat(client(all, "192.0.2.11", List.of("203.0.113.9"), List.of())).isEqualTo("203.0.113.9");
        for (String bad : List.of(
                "10.0.0.0/33",
                "10.0.0.0/-1",
                "10.0.0.0/x",
                "fd00::/129",
                "localhost",
                "10.0.0.0:80/8",
                "[fd00::]/8",
                "10.0.0.0/8/8",
                "300.0.0.0/8")) {
            assertThatThrownBy(() -> TrustedProxies.parse("10.1.0.0/16," + bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a CIDR");
        }
    }
}
