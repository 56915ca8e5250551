package dev.usersapi.policy;

import com.google.gson.JsonObject;
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
