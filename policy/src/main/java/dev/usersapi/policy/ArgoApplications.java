package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** How the gitops rules read Argo CD objects: the kind, and an Application's sources with the field of each. */
final class ArgoApplications {

    private ArgoApplications() {}

    /** One source of an Application: {@code spec.sources[i]} or {@code spec.source} (Argo CD accepts both). */
    record Source(String field, JsonObject body) {
        String repoURL() {
            return Json.string(body, "repoURL").orElse("");
        }

        String path() {
            return Json.string(body, "path").orElse("");
        }

        /** Whether it deploys from the repository of {@code repositoryUrl} (normalized); never when that is unknown. */
        boolean from(Optional<String> repositoryUrl) {
            return repositoryUrl.isPresent()
                    && Json.string(body, "repoURL").map(Repositories::normalize).equals(repositoryUrl);
        }
    }

    /** Why an Application's path cannot deploy from {@code repository}, if it cannot: it must be a kustomization folder. */
    static Optional<String> pathProblem(Path repository, String path) {
        Path folder = repository.resolve(path).normalize();
        if (path.isBlank() || path.startsWith("/") || path.equals(".")) {
            return Optional.of("needs a path to a folder of this repository (not its root), relative to the root");
        } else if (!folder.startsWith(repository) || folder.equals(repository)) {
            return Optional.of(path + " is outside this repository");
        } else if (!Files.isDirectory(folder)) {
            return Optional.of(path + " does not exist in this repository");
        } else if (Kustomizations.fileIn(folder).isEmpty()) {
            return Optional.of(path + " has no kustomization: every path Argo CD deploys must render with kustomize");
        }
        return Optional.empty();
    }

    static boolean is(KubeObject o, String kind) {
        return o.group().equals("argoproj.io") && o.is(kind);
    }

    static List<Source> sources(KubeObject app) {
        List<Source> sources = new ArrayList<>();
        List<JsonObject> list = Json.objects(app.spec(), "sources");
        for (int i = 0; i < list.size(); i++) {
            sources.add(new Source("spec.sources[" + i + "]", list.get(i)));
        }
        Json.object(app.spec(), "source").ifPresent(s -> sources.add(new Source("spec.source", s)));
        return sources;
    }
}
