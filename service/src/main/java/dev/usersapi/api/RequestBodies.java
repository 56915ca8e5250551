package dev.usersapi.api;

import dev.usersapi.http.Json;
import dev.usersapi.http.Problem;
import dev.usersapi.http.ProblemException;
import dev.usersapi.http.ReadTimeouts;
import dev.usersapi.observe.SecurityEvent;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpMediaType;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Checks the content type and reads a JSON body without ever holding more than the size limit. */
final class RequestBodies {
    private RequestBodies() {}

    static byte[] readJson(ServerRequest req, int maxBytes) {
        requireJson(req.headers().contentType());
        req.headers().contentLength().ifPresent(length -> {
            if (length > maxBytes) {
                throw tooLarge(maxBytes);
            }
        });
        byte[] body;
        try (InputStream in = req.content().inputStream()) {
            body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw tooLarge(maxBytes);
            }
        } catch (RequestException | IllegalArgumentException e) {
            // Helidon's chunked decoder refused the framing: a chunk size like "ZZ" (NumberFormatException), a
            // missing CRLF.
            throw brokenFraming("malformed_chunked_body", "the chunked body is malformed (RFC 9112 §7.1)");
        } catch (DataReader.InsufficientDataAvailableException e) {
            throw brokenFraming("truncated_body", "the body ended before the length its headers declared");
        } catch (IOException | UncheckedIOException e) {
            // Includes Helidon's ServerConnectionException: the socket failed under the read.
            if (ReadTimeouts.timedOut()) {
                throw new ProblemException(
                        Problem.of(408, "body-timeout", "Request Timeout", "the request body did not arrive in time"),
                        SecurityEvent.SUSPICIOUS_REQUEST,
                        "body_timeout",
                        Map.of(HeaderNames.CONNECTION.defaultCase(), "close"));
            }
            throw brokenFraming("truncated_body", "the body ended before the length its headers declared");
        }
        ReadTimeouts.bodyRead();
        if (body.length == 0) {
            throw ProblemException.invalidInput(
                    "empty_body",
                    "malformed-body",
                    "Malformed request body",
                    "the request body is empty; send a JSON object",
                    List.of());
        }
        return body;
    }

    private static void requireJson(Optional<HttpMediaType> contentType) {
        boolean json = contentType.isPresent()
                && contentType.get().mediaType().type().equalsIgnoreCase("application")
                && contentType.get().mediaType().subtype().equalsIgnoreCase("json")
                && contentType
                        .get()
                        .charset()
                        .map(c -> c.toLowerCase(Locale.ROOT).equals("utf-8"))
                        .orElse(true);
        if (!json) {
            String got = contentType.map(HttpMediaType::text).orElse("none");
            throw new ProblemException(
                    Problem.of(
                            415,
                            "unsupported-media-type",
                            "Unsupported Media Type",
                            "send the body as application/json (UTF-8); got " + got),
                    SecurityEvent.INVALID_INPUT,
                    "unsupported_media_type",
                    Map.of("Accept-Post", Json.MEDIA_TYPE));
        }
    }

    /** The connection cannot carry another request after a body of unknown extent: answer, then close it. */
    private static ProblemException brokenFraming(String reason, String detail) {
        return new ProblemException(
                Problem.of(400, "malformed-body", "Malformed request body", detail),
                SecurityEvent.INVALID_INPUT,
                reason,
                Map.of(HeaderNames.CONNECTION.defaultCase(), "close"));
    }

    private static ProblemException tooLarge(int maxBytes) {
        return new ProblemException(
                Problem.of(
                        413,
                        "body-too-large",
                        "Content Too Large",
                        "the request body exceeds the limit of " + maxBytes + " bytes"),
                SecurityEvent.INVALID_INPUT,
                "body_too_large",
                Map.of());
    }
}
