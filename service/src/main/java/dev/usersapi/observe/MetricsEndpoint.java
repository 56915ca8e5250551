package dev.usersapi.observe;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code GET /metrics} on the admin socket: Prometheus text format, or OpenMetrics when the scraper asks
 * for it. The body is streamed (chunked) through a small buffer, so a scrape needs memory for one buffer rather
 * than the whole exposition; the series themselves are bounded by closed label sets (see {@link Metrics}).
 */
public final class MetricsEndpoint {
    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    public MetricsEndpoint(PrometheusRegistry registry) {
        this.registry = registry;
    }

    public void handle(ServerRequest req, ServerResponse res) throws IOException {
        String accept = req.headers().first(HeaderNames.ACCEPT).orElse(null);
        ExpositionFormatWriter writer = formats.findWriter(accept);
        if (writer.equals(formats.getPrometheusProtobufWriter()) || !writer.isAvailable()) {
            // Protobuf is not shipped; every scraper also accepts the text format.
            writer = formats.getPrometheusTextFormatWriter();
        }
        res.header(HeaderNames.CONTENT_TYPE, writer.getContentType());
        try (OutputStream body = new BufferedOutputStream(res.outputStream(), 16 * 1024)) {
            writer.write(body, registry.scrape());
        }
    }
}
