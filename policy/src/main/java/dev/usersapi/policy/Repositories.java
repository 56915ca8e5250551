package dev.usersapi.policy;

import com.google.gson.JsonElement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The Git repository that Argo CD deploys this repository from, as gitops/repository/repository.yaml names it. */
public final class Repositories {

    /** The one file a fork changes to point Argo CD at itself (a ConfigMap whose data.url is the repository). */
    public static final String GITOPS_REPOSITORY_FILE = "gitops/repository/repository.yaml";

    private Repositories() {}

    /** data.url of the repository file below {@code repository}, if the file exists and has one. */
    public static Optional<String> url(Path repository) {
        Path file = repository.resolve(GITOPS_REPOSITORY_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            for (JsonElement doc : YamlDocuments.parse(Files.readString(file))) {
                Optional<String> url = Json.string(doc, "data", "url").filter(u -> !u.isBlank());
                if (url.isPresent()) {
                    return url;
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    /** Argo CD treats these as one repository: case of the host, a trailing slash or {@code .git} do not matter. */
    public static String normalize(String url) {
        String u = url.strip();
        while (u.endsWith("/")) {
            u = u.substring(0, u.length() - 1);
        }
        if (u.endsWith(".git")) {
            u = u.substring(0, u.length() - 4);
        }
        return u.toLowerCase(Locale.ROOT);
    }
}
