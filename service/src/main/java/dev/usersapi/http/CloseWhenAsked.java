package dev.usersapi.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Closes the connection after a response that says {@code Connection: close}, whether the client asked for it or
 * the service did (draining, a broken request body). Helidon 4.5.0 announces the close but then waits for another
 * request on the socket (helidon-io/helidon#12324), so a draining pod kept its clients and a client that asked
 * for a close kept a connection slot. Registered first, so it sees the response every other filter produced.
 */
public final class CloseWhenAsked implements Filter {
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        chain.proceed();
        boolean close = req.headers().containsToken(HeaderValues.CONNECTION_CLOSE)
                || res.headers().containsToken(HeaderValues.CONNECTION_CLOSE);
        if (close && res.isSent()) {
            // Helidon's connection loop ends on this exception and closes the socket; it is not an error.
            throw new CloseConnectionException("response announced Connection: close");
        }
    }
}
