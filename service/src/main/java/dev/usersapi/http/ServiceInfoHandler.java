package dev.usersapi.http;

import dev.usersapi.BuildInfo;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/** {@code GET /}: which service, version and revision answers, and since when. */
public final class ServiceInfoHandler implements Handler {
    private final byte[] body;

    public ServiceInfoHandler(BuildInfo info) {
        this.body = Json.write(gen -> {
            gen.writeStartObject();
            gen.writeStringField("name", info.name());
            gen.writeStringField("version", info.version());
            gen.writeStringField("revision", info.revision());
            gen.writeStringField("started", info.started().toString());
            gen.writeEndObject();
        });
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, Json.MEDIA_TYPE);
        Entities.send(req, res, body);
    }
}
