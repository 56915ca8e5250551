package dev.usersapi.policy;

import com.google.gson.JsonElement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The Secrets scripts/bootstrap.sh creates before the root Application ({@value #FILE}): {@code namespace/name} each.
 * A repository without the file has none.
 */
public final class BootstrapSecrets {

    public static final String FILE = "gitops/bootstrap-secrets.yaml";

    private BootstrapSecrets() {}

    /** The {@code namespace/name} entries of the file; a malformed entry is an IllegalStateException naming it. */
    public static Set<String> of(Path repository) {
        Path file = repository.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Set.of();
        }
        List<JsonElement> docs;
        try {
            docs = YamlDocuments.parse(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + FILE, e);
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonElement entry : docs.isEmpty()
                ? List.<JsonElement>of()
                : Json.array(docs.get(0), "secrets").asList()) {
            String text = Json.isString(entry) ? entry.getAsString().strip() : "";
            if (!text.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?/[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
                throw new IllegalStateException(FILE + ": '" + entry + "' is not namespace/name");
            }
            names.add(text);
        }
        return Set.copyOf(names);
    }
}
