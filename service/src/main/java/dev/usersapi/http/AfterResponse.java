package dev.usersapi.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Headers;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.List;

/**
 * What happens to the connection once a response has been sent; registered first, so it sees the response every
 * other filter produced.
 * <ul>
 *   <li>A response that says {@code Connection: close} (the client asked, the service is draining, a request body
 *   was broken) closes the connection. Helidon 4.5.0 announces the close but then waits for another request on
 *   the socket (helidon-io/helidon#12324): a draining pod kept its clients, and a client kept a connection slot.
 *   <li>Otherwise a request body the handler did not read (a 401 before the body, say) is read to its end here,
 *   under the body timeout, so that the timeout then ends: left to Helidon, the draining would happen after the
 *   deadline could be cleared, and the idle connection would later be cut as a slow body.
 * </ul>
 */
public final class AfterResponse implements Filter {
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        boolean close = announcesClose(req.headers()) || announcesClose(res.headers());
        if (close && res.isSent()) {
            // Helidon's connection loop ends on this exception and closes the socket; it is not an error.
            throw new CloseConnectionException("response announced Connection: close");
        }
        if (!req.content().consumed()) {
            try {
                req.content().consume();
            } catch (RuntimeException e) {
                // A body that cannot be read to its end leaves the connection unusable: the next request would
                // start somewhere inside it.
                throw new CloseConnectionException("request body could not be read to its end", e);
            }
        }
        ReadTimeouts.bodyRead();
    }

    /**
     * Whether a Connection header field carries the token {@code close}. Helidon's {@code containsToken} builds a
     * stream and splits every value on each call (2% of a list request's CPU for two calls); most requests send no
     * Connection field and most responses carry Helidon's own {@code keep-alive} (lower case, as it writes it), so those are answered first.
     */
    static boolean announcesClose(Headers headers) {
        if (!headers.contains(HeaderNames.CONNECTION)) {
            return false;
        }
        List<String> values = headers.get(HeaderNames.CONNECTION).allValues();
        if (values.size() == 1 && values.getFirst().equals("keep-alive")) {
            return false;
        }
        return headers.containsToken(HeaderValues.CONNECTION_CLOSE);
    }
}
