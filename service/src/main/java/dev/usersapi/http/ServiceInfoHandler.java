package dev.usersapi.http;

import dev.usersapi.BuildInfo;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /}: which service, version and revision answers, and since when. */
public final class ServiceInfoHandler implements Handler {
    private final byte[] body;

    public ServiceInfoHandler(BuildInfo info) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", info.name());
        json.put("version", info.version());
        json.put("revision", info.revision());
        json.put("started", info.started().toString());
        this.body = Json.MAPPER.writeValueAsBytes(json);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, Json.MEDIA_TYPE);
        Entities.send(req, res, body);
    }
}
