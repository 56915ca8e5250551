package dev.usersapi.observe;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.usersapi.config.TrustedProxies;
import dev.usersapi.support.Await;
import dev.usersapi.support.RunningApp;
import dev.usersapi.support.TestApps;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access line of a real request carries the client the trusted proxies report and the TCP peer. */
class ClientAddressLogTest {
    private final ListAppender<ILoggingEvent> access = new ListAppender<>();

    @BeforeEach
    void capture() {
        access.start();
        ((Logger) LoggerFactory.getLogger("users-api.access")).addAppender(access);
    }

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger("users-api.access")).detachAppender(access);
    }

    private Map<String, String> accessLineOf(TrustedProxies proxies, String... headers) throws Exception {
        try (RunningApp running = RunningApp.start(TestApps.settings().withTrustedProxies(proxies));
                HttpClient client = HttpClient.newHttpClient()) {
            running.app().lifecycle().ready();
            HttpRequest.Builder req =
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + "/api/users"));
            for (int i = 0; i < headers.length; i += 2) {
                req.header(headers[i], headers[i + 1]);
            }
            HttpResponse<String> res = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(res.statusCode()).isEqualTo(200);
            // The access line is written after the response, on the server's thread.
            Await.until("the request's access line", Duration.ofSeconds(10), () -> !access.list.isEmpty());
        }
        assertThat(access.list).hasSize(1);
        return access.list.getFirst().getMDCPropertyMap();
    }

    @Test
    void aTrustedProxysClientIsLoggedWithThePeer() throws Exception {
        Map<String, String> mdc =
                accessLineOf(TrustedProxies.parse("127.0.0.0/8"), "X-Forwarded-For", "6.6.6.6, 203.0.113.9");
        assertThat(mdc).containsEntry("client_ip", "203.0.113.9").containsEntry("peer_ip", "127.0.0.1");
    }

    @Test
    void anUntrustedPeersHeadersAreIgnored() throws Exception {
        Map<String, String> mdc =
                accessLineOf(TrustedProxies.none(), "X-Forwarded-For", "203.0.113.9", "Forwarded", "for=1.2.3.4");
        assertThat(mdc).containsEntry("client_ip", "127.0.0.1").containsEntry("peer_ip", "127.0.0.1");
    }

    @Test
    void garbageFromATrustedPeerStillServesTheRequest() throws Exception {
        Map<String, String> mdc = accessLineOf(
                TrustedProxies.parse("127.0.0.1"),
                "X-Forwarded-For",
                "\",,;=[]:%00 garbage",
                "Forwarded",
                "for=\"[::1");
        assertThat(mdc).containsEntry("client_ip", "127.0.0.1").containsEntry("peer_ip", "127.0.0.1");
    }
}
