package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.kubernetes.client.custom.Quantity;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What dev and prod must contain beyond the generic rules: the decisions of docs/architecture.md (its sections
 * Ports, Lifecycle and draining, Kubernetes) and of the manifests issue (image pins, sizes, probes, scrape
 * annotations, drain timing, the tokens file, labels, network allows).
 */
class OverlaysContractTest {

    private static final String IMAGE = TestRepository.serviceImage();
    private static final BigDecimal MI = BigDecimal.valueOf(1024L * 1024);

    private static List<KubeObject> render(String env) {
        return render(TestRepository.root(), env);
    }

    static List<KubeObject> render(Path repository, String env) {
        KustomizeRenderer.Outcome outcome = KustomizeRenderer.shared().render(repository.resolve("overlays/" + env));
        assertThat(outcome.ok()).as(outcome.error()).isTrue();
        return YamlDocuments.objects(outcome.yaml());
    }

    static KubeObject one(List<KubeObject> objects, String kind) {
        List<KubeObject> found = objects.stream().filter(o -> o.is(kind)).toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    static JsonObject container(List<KubeObject> objects) {
        return Json.objects(one(objects, "Deployment").body(), "spec", "template", "spec", "containers")
                .get(0);
    }

    /** dev runs a release version tag until CI's first pin, then the digest of each green build; prod only digests. */
    static final String DEV_IMAGE = IMAGE.replace(".", "\\.") + "(:\\d+\\.\\d+\\.\\d+|@sha256:[0-9a-f]{64})";

    static final String PROD_IMAGE = IMAGE.replace(".", "\\.") + "@sha256:[0-9a-f]{64}";

    static String deployedImage(List<KubeObject> rendered) {
        return Json.string(container(rendered), "image").orElseThrow();
    }

    @Test
    void devRunsAVersionTagOrADigestAndProdADigest() {
        assertThat(deployedImage(render("dev"))).matches(DEV_IMAGE);
        assertThat(deployedImage(render("prod"))).matches(PROD_IMAGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyObjectLivesInTheEnvironmentsNamespace(String env) {
        List<KubeObject> objects = render(env);
        assertThat(one(objects, "Namespace").name()).isEqualTo("users-" + env);
        assertThat(objects)
                .filteredOn(o -> !o.is("Namespace"))
                .allSatisfy(o -> assertThat(o.namespace()).isEqualTo("users-" + env));
    }

    @Test
    void theAutoscalerOwnsTheReplicaCount() {
        assertThat(Json.integer(one(render("dev"), "HorizontalPodAutoscaler").spec(), "minReplicas"))
                .hasValue(1L);
        assertThat(Json.integer(one(render("dev"), "HorizontalPodAutoscaler").spec(), "maxReplicas"))
                .hasValue(3L);
        assertThat(Json.integer(one(render("prod"), "HorizontalPodAutoscaler").spec(), "minReplicas"))
                .hasValue(3L);
        assertThat(Json.integer(one(render("prod"), "HorizontalPodAutoscaler").spec(), "maxReplicas"))
                .hasValue(10L);
        assertThat(Json.objects(one(render("prod"), "HorizontalPodAutoscaler").spec(), "metrics"))
                .map(m -> Json.string(m, "resource", "name").orElse(""))
                .containsExactlyInAnyOrder("cpu", "memory");
        assertThat(Json.at(one(render("dev"), "Deployment").spec(), "replicas")).isEmpty();
        assertThat(one(render("prod"), "PodDisruptionBudget")).isNotNull();
        assertThat(Json.integer(
                        one(render("prod"), "Deployment").spec(), "strategy", "rollingUpdate", "maxUnavailable"))
                .hasValue(0L);
    }

    @Test
    void theServiceRunsInAbout256Mi() {
        JsonObject dev = container(render("dev"));
        JsonObject prod = container(render("prod"));
        assertThat(mebibytes(dev, "requests")).isBetween(128L, 192L);
        assertThat(mebibytes(dev, "limits")).isEqualTo(256L);
        assertThat(mebibytes(prod, "requests")).isBetween(128L, 256L);
        assertThat(mebibytes(prod, "limits")).isGreaterThan(256L).isLessThanOrEqualTo(512L);
        assertThat(Json.objects(dev, "env"))
                .noneMatch(e -> Json.string(e, "name")
                        .filter("JAVA_TOOL_OPTIONS"::equals)
                        .isPresent());
    }

    private static long mebibytes(JsonObject container, String kind) {
        String value = Json.string(container, "resources", kind, "memory").orElseThrow();
        return Quantity.fromString(value).getNumber().divide(MI).longValueExact();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void probesAndScrapeAnnotationsUseTheAdminPort(String env) {
        List<KubeObject> objects = render(env);
        JsonObject c = container(objects);
        assertThat(Json.objects(c, "ports"))
                .map(p -> Json.string(p, "name").orElse("") + "="
                        + Json.integer(p, "containerPort").orElse(0L))
                .containsExactly("http=8080", "admin=8081");
        assertThat(Json.string(c, "startupProbe", "httpGet", "path")).hasValue("/health/started");
        assertThat(Json.string(c, "livenessProbe", "httpGet", "path")).hasValue("/health/live");
        assertThat(Json.string(c, "readinessProbe", "httpGet", "path")).hasValue("/health/ready");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(Json.string(c, probe, "httpGet", "port")).as(probe).hasValue("admin");
        }
        Map<String, String> annotations =
                Json.stringMap(one(objects, "Deployment").body(), "spec", "template", "metadata", "annotations");
        assertThat(annotations)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8081")
                .containsEntry("prometheus.io/path", "/metrics");
        assertThat(Json.objects(one(objects, "Service").spec(), "ports"))
                .map(p -> Json.string(p, "name").orElse("") + "->"
                        + Json.string(p, "targetPort").orElse(""))
                .containsExactlyInAnyOrder("http->http", "admin->admin");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void shutdownTimingMatchesTheDrainPeriod(String env) {
        List<KubeObject> objects = render(env);
        assertThat(Json.string(one(objects, "ConfigMap").body(), "data", "USERS_API_DRAIN_SECONDS"))
                .hasValue("5");
        assertThat(Json.integer(container(objects), "lifecycle", "preStop", "sleep", "seconds"))
                .hasValue(5L);
        assertThat(Json.integer(one(objects, "Deployment").spec(), "template", "spec", "terminationGracePeriodSeconds"))
                .hasValue(20L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theTokensSecretIsMountedReadOnlyWhereTheServiceLooks(String env) {
        List<KubeObject> objects = render(env);
        JsonObject pod = Json.object(one(objects, "Deployment").body(), "spec", "template", "spec")
                .orElseThrow();
        JsonObject volume = Json.objects(pod, "volumes").stream()
                .filter(v -> v.has("secret"))
                .findFirst()
                .orElseThrow();
        assertThat(Json.string(volume, "secret", "secretName")).hasValue("users-api-tokens");
        JsonObject mount = Json.objects(container(objects), "volumeMounts").stream()
                .filter(m -> Json.string(m, "name").equals(Json.string(volume, "name")))
                .findFirst()
                .orElseThrow();
        assertThat(Json.bool(mount, "readOnly")).hasValue(true);
        String item = Json.objects(volume, "secret", "items").stream()
                .filter(i -> Json.string(i, "key").orElse("").equals("tokens"))
                .map(i -> Json.string(i, "path").orElseThrow())
                .findFirst()
                .orElseThrow();
        String file = Json.string(mount, "mountPath").orElseThrow() + "/" + item;
        assertThat(Json.string(one(objects, "ConfigMap").body(), "data", "USERS_API_TOKENS_FILE"))
                .hasValue(file);
        assertThat(objects).noneMatch(o -> o.is("Secret"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void labelsFollowTheDesignAndSelectorsUseOnlyNameAndInstance(String env) {
        List<KubeObject> objects = render(env);
        KubeObject deployment = one(objects, "Deployment");
        List<String> recommended = List.of(
                "app.kubernetes.io/name",
                "app.kubernetes.io/instance",
                "app.kubernetes.io/version",
                "app.kubernetes.io/component",
                "app.kubernetes.io/part-of");
        assertThat(Json.stringMap(deployment.body(), "metadata", "labels"))
                .containsKeys(recommended.toArray(String[]::new));
        assertThat(Json.stringMap(deployment.body(), "spec", "template", "metadata", "labels"))
                .containsKeys(recommended.toArray(String[]::new));
        assertThat(Json.stringMap(deployment.body(), "spec", "selector", "matchLabels"))
                .containsOnlyKeys(recommended.subList(0, 2));
        assertThat(Json.stringMap(one(objects, "Service").body(), "spec", "selector"))
                .containsOnlyKeys(recommended.subList(0, 2));
        assertThat(Json.stringMap(one(objects, "Service").body(), "spec", "selector"))
                .containsEntry("app.kubernetes.io/name", "users-api");
    }

    @Test
    void noKustomizationUsesCommonLabelsAndTheServiceHasNoRemoteBase() throws IOException {
        Path root = TestRepository.root();
        for (Path file : Kustomizations.discover(root, Kustomizations.REPOSITORY_ROOTS)) {
            String text = Files.readString(file);
            assertThat(text).as(root.relativize(file).toString()).doesNotContainPattern("(?m)^\\s*commonLabels:");
        }
        for (Path file : Kustomizations.discover(root, List.of("base", "overlays"))) {
            assertThat(Files.readString(file))
                    .as(root.relativize(file).toString())
                    .doesNotContain("://");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void networkPoliciesAllowOnlyTheNeededFlows(String env) {
        List<KubeObject> objects = render(env);
        List<String> flows = objects.stream()
                .filter(o -> o.is("NetworkPolicy"))
                .flatMap(np -> Stream.concat(
                        Json.objects(np.spec(), "ingress").stream()
                                .map(r -> "in from " + peers(r, "from") + " to " + ports(r)),
                        Json.objects(np.spec(), "egress").stream()
                                .map(r -> "out to " + peers(r, "to") + " on " + ports(r))))
                .toList();
        assertThat(flows)
                .containsExactlyInAnyOrder(
                        "in from [envoy-gateway-system] to [http]",
                        "in from [monitoring] to [admin]",
                        "out to [kube-system] on [53, 53]",
                        // base/database: users-api -> database; database <-> database; operator and Alloy -> database;
                        // database -> the API server (and prod's object store) over TLS.
                        "out to [?] on [5432]",
                        "in from [?] to [5432]",
                        "out to [?] on [5432, 8000]",
                        "in from [?] to [5432, 8000]",
                        "in from [cnpg-system] to [8000, 5432]",
                        "in from [monitoring] to [9187]",
                        "out to [] on [443, 6443]");
        assertThat(objects)
                .filteredOn(o -> o.is("NetworkPolicy"))
                .anyMatch(np -> NetworkDefaultDenyCheck.deniesAll(np, "Ingress")
                        && NetworkDefaultDenyCheck.deniesAll(np, "Egress"));
        // Only the envoy proxies reach the http port, and only Alloy the admin port.
        assertThat(objects)
                .filteredOn(o -> o.is("NetworkPolicy"))
                .flatExtracting(np -> Json.objects(np.spec(), "ingress"))
                .flatExtracting(r -> Json.objects(r, "from"))
                .allSatisfy(peer -> assertThat(Json.object(peer, "podSelector"))
                        .as("every ingress peer names its pods, not a whole namespace: %s", peer)
                        .isPresent());
        assertThat(objects).noneMatch(o -> o.is("Ingress"));
        KubeObject route = one(objects, "HTTPRoute");
        assertThat(Json.strings(route.spec(), "hostnames"))
                .containsExactly(env.equals("dev") ? "users.dev.example.com" : "users.example.com");
        assertThat(Json.objects(route.spec(), "parentRefs")).singleElement().satisfies(p -> {
            assertThat(Json.string(p, "namespace")).hasValue("gateway");
            assertThat(Json.string(p, "sectionName")).hasValue("https");
        });
        // Alloy reads this namespace's pods and logs through a Role here, nothing more.
        assertThat(Json.objects(one(objects, "Role").body(), "rules"))
                .extracting(Object::toString)
                .containsExactly(
                        "{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\",\"list\",\"watch\"]}",
                        "{\"apiGroups\":[\"\"],\"resources\":[\"pods/log\"],\"verbs\":[\"get\"]}");
        assertThat(Json.objects(one(objects, "RoleBinding").body(), "subjects"))
                .extracting(Object::toString)
                .containsExactly("{\"kind\":\"ServiceAccount\",\"name\":\"alloy\",\"namespace\":\"monitoring\"}");
        // The edge limits the README documents, on this environment's route.
        KubeObject limits = one(objects, "BackendTrafficPolicy");
        assertThat(Json.string(limits.spec(), "requestBuffer", "limit")).hasValue("16Ki");
        assertThat(Json.string(limits.spec(), "timeout", "http", "connectionIdleTimeout"))
                .hasValue("60s");
        assertThat(Json.objects(limits.spec(), "rateLimit", "local", "rules"))
                .hasSize(2)
                .allSatisfy(
                        r -> assertThat(Json.integer(r, "limit", "requests")).hasValue(60L));
    }

    private static List<String> peers(JsonObject rule, String field) {
        return Json.objects(rule, field).stream()
                .map(p -> Json.string(p, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name")
                        .orElse("?"))
                .toList();
    }

    private static List<String> ports(JsonObject rule) {
        return Json.objects(rule, "ports").stream()
                .map(p -> Json.at(p, "port").map(JsonElement::getAsString).orElse("any"))
                .toList();
    }
}
