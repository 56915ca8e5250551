package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The chart is not a second source of truth: {@code helm template users-api charts/users-api -n users-ENV -f
 * values-ENV.yaml} renders exactly the objects of {@code kubectl kustomize overlays/ENV}, field for field (the
 * ConfigMap's hashed name and the image pin included). The only differences, each removed here after it is checked:
 * <ul>
 *   <li>Helm's own labels {@code helm.sh/chart} and {@code app.kubernetes.io/managed-by: Helm} on every object of the
 *   chart (Helm's convention; they identify the release's objects);</li>
 *   <li>the overlay's Namespace object with its Pod Security labels: a Helm release lives in a namespace that must
 *   exist before it (or is created bare by {@code --create-namespace}), so the chart cannot own it; the README and
 *   NOTES.txt give the command that creates and labels it.</li>
 * </ul>
 * A change to base/ or an overlay without the chart, or the reverse, fails here with the first differing object.
 */
class HelmChartEquivalenceTest {

    static final List<String> HELM_LABELS = List.of("helm.sh/chart", "app.kubernetes.io/managed-by");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theChartRendersWhatTheOverlayRenders(String env) {
        String namespace = "users-" + env;
        Map<String, JsonObject> overlay =
                byId(withoutNamespaceObject(OverlaysContractTest.render(TestRepository.root(), env), namespace));
        Map<String, JsonObject> chart =
                byId(withoutHelmLabels(HelmChart.template(namespace, "values-" + env + ".yaml")));

        List<String> problems = new ArrayList<>();
        overlay.keySet().stream()
                .filter(id -> !chart.containsKey(id))
                .forEach(id -> problems.add(id + ": rendered by overlays/" + env + ", not by the chart"));
        chart.keySet().stream()
                .filter(id -> !overlay.containsKey(id))
                .forEach(id -> problems.add(id + ": rendered by the chart, not by overlays/" + env));
        for (var entry : overlay.entrySet()) {
            JsonObject rendered = chart.get(entry.getKey());
            List<String> diff = rendered == null ? List.of() : ObjectDiff.of(entry.getValue(), rendered);
            if (!diff.isEmpty()) {
                problems.add(entry.getKey() + " differs (overlays/" + env + " vs chart with values-" + env
                        + ".yaml):\n  " + String.join("\n  ", diff));
            }
        }
        assertThat(problems)
                .as(
                        "the chart drifted from overlays/%s (%d problems); the first:%n%s",
                        env, problems.size(), problems.isEmpty() ? "" : problems.get(0))
                .isEmpty();
    }

    /** The Namespace object is the overlay's own: exactly one, the environment's (checked, then left out). */
    static List<KubeObject> withoutNamespaceObject(List<KubeObject> objects, String namespace) {
        assertThat(objects)
                .filteredOn(o -> o.is("Namespace"))
                .map(KubeObject::name)
                .containsExactly(namespace);
        return objects.stream().filter(o -> !o.is("Namespace")).toList();
    }

    /** Helm's labels are on every object of the chart, with Helm's values (checked, then removed). */
    static List<KubeObject> withoutHelmLabels(List<KubeObject> objects) {
        List<KubeObject> out = new ArrayList<>();
        for (KubeObject o : objects) {
            JsonObject copy = o.body().deepCopy();
            JsonObject labels = Json.object(copy, "metadata", "labels")
                    .orElseThrow(() -> new AssertionError(o.id() + " has no labels"));
            assertThat(labels.has("helm.sh/chart") ? labels.get("helm.sh/chart").getAsString() : "")
                    .as("%s label helm.sh/chart", o.id())
                    .matches("users-api-\\d+\\.\\d+\\.\\d+.*");
            assertThat(
                            labels.has("app.kubernetes.io/managed-by")
                                    ? labels.get("app.kubernetes.io/managed-by").getAsString()
                                    : "")
                    .as("%s label app.kubernetes.io/managed-by", o.id())
                    .isEqualTo("Helm");
            HELM_LABELS.forEach(labels::remove);
            out.add(new KubeObject(copy));
        }
        return out;
    }

    /** A generated ConfigMap's hash suffix, left out of the pairing key only: the names are still compared field by field. */
    private static final Pattern HASH_SUFFIX = Pattern.compile("^(ConfigMap .*)-[a-z0-9]{10}$");

    /** Objects keyed by apiVersion, kind, namespace and name (a ConfigMap without its hash, so a changed setting shows as data). */
    private static Map<String, JsonObject> byId(List<KubeObject> objects) {
        Map<String, JsonObject> byId = new LinkedHashMap<>();
        for (KubeObject o : objects) {
            JsonObject previous =
                    byId.put(o.apiVersion() + " " + HASH_SUFFIX.matcher(o.id()).replaceFirst("$1-<hash>"), o.body());
            assertThat(previous).as("%s rendered twice", o.id()).isNull();
        }
        return byId;
    }

    static String ids(List<KubeObject> objects) {
        return objects.stream().map(KubeObject::id).collect(Collectors.joining(", "));
    }
}
