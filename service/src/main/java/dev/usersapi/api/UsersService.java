package dev.usersapi.api;

import dev.usersapi.auth.BearerAuthenticator;
import dev.usersapi.auth.Role;
import dev.usersapi.config.Settings;
import dev.usersapi.http.Entities;
import dev.usersapi.http.Fallbacks;
import dev.usersapi.http.Json;
import dev.usersapi.http.Problem;
import dev.usersapi.http.ProblemException;
import dev.usersapi.store.DuplicateEmailException;
import dev.usersapi.store.NewUser;
import dev.usersapi.store.StoreFullException;
import dev.usersapi.store.User;
import dev.usersapi.store.UserStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;
import java.util.UUID;

/** The users resource under {@code /api/users}: list and get are public, create needs writer, delete admin. */
public final class UsersService implements HttpService {
    public static final String PATH = "/api/users";

    private final UserStore store;
    private final AccessControl access;
    private final Settings settings;

    public UsersService(UserStore store, BearerAuthenticator authenticator, Settings settings) {
        this.store = store;
        this.access = new AccessControl(authenticator);
        this.settings = settings;
    }

    @Override
    public void routing(HttpRules rules) {
        Entities.getAndHead(rules, "/", this::list);
        rules.post("/", this::create).any("/", Fallbacks.methodNotAllowed("GET, HEAD, POST"));
        Entities.getAndHead(rules, "/{id}", this::get);
        rules.delete("/{id}", this::delete).any("/{id}", Fallbacks.methodNotAllowed("GET, HEAD, DELETE"));
    }

    private void list(ServerRequest req, ServerResponse res) {
        Paging paging = Paging.from(req.query(), settings.defaultPageSize(), settings.maxPageSize());
        sendJson(
                req,
                res,
                Status.OK_200,
                UserJson.page(store.list(paging.offset(), paging.limit()), paging.limit(), paging.offset()));
    }

    private void get(ServerRequest req, ServerResponse res) {
        User user = id(req).flatMap(store::find).orElseThrow(() -> notFound(req));
        sendJson(req, res, Status.OK_200, UserJson.user(user));
    }

    private void create(ServerRequest req, ServerResponse res) {
        access.require(req, Role.WRITER);
        NewUser newUser = NewUserParser.parse(RequestBodies.readJson(req, settings.maxBodyBytes()));
        User user;
        try {
            user = store.create(newUser);
        } catch (DuplicateEmailException e) {
            throw ProblemException.of(Problem.of(409, "duplicate-email", "Conflict", e.getMessage()));
        } catch (StoreFullException e) {
            throw ProblemException.of(Problem.of(507, "store-full", "Insufficient Storage", e.getMessage()));
        }
        res.header(HeaderNames.LOCATION, PATH + "/" + user.id());
        sendJson(req, res, Status.CREATED_201, UserJson.user(user));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        access.require(req, Role.ADMIN);
        UUID id = id(req).orElseThrow(() -> notFound(req));
        if (!store.delete(id)) {
            throw notFound(req);
        }
        res.status(Status.NO_CONTENT_204).send();
    }

    /** Ids are UUIDs; anything else cannot name a user, so it is a plain 404 like an unknown UUID. */
    private static Optional<UUID> id(ServerRequest req) {
        String raw = req.path().pathParameters().get("id");
        if (raw.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(raw));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ProblemException notFound(ServerRequest req) {
        return ProblemException.of(Problem.of(
                404, null, "Not Found", "no user at " + req.prologue().uriPath().rawPath()));
    }

    private static void sendJson(ServerRequest req, ServerResponse res, Status status, byte[] body) {
        res.status(status);
        res.header(HeaderNames.CONTENT_TYPE, Json.MEDIA_TYPE);
        Entities.send(req, res, body);
    }
}
