package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * charts/users-api on its own: Helm lints it clean, its schema turns a misspelt or wrong value into an error, every
 * object it renders passes the same policy rules as the overlays, and its version is the project's.
 */
class HelmChartTest {

    /** The service image as base/kustomization.yaml names it (a fork renames it there). */
    private static final String IMAGE = TestRepository.serviceImage();

    @Test
    void theChartLintsCleanEvenStrictly() {
        LintResult lint = HelmChart.lint();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();
        // Helm's only remark is the missing icon, an [INFO]: no warning, no error.
        assertThat(lint.getMessages()).noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
    }

    /** values.yaml alone (base plus a one-instance database), and each environment's values file. */
    @ParameterizedTest
    @CsvSource(
            nullValues = "-",
            value = {"users-api, -", "users-dev, values-dev.yaml", "users-prod, values-prod.yaml"})
    void everyRenderedObjectPassesThePolicy(String namespace, String valuesFile) {
        List<KubeObject> objects = HelmChart.template(namespace, valuesFile);
        Render render = new Render("charts/users-api" + (valuesFile == null ? "" : " -f " + valuesFile), objects);
        List<Finding> findings = new ArrayList<>();
        for (Check check : Policy.CHECKS) {
            check.check(render, List.of(render), new Findings(render.file(), check.rule(), findings));
        }
        assertThat(objects)
                .as("objects")
                .extracting(KubeObject::kind)
                .contains(
                        "Deployment",
                        "Service",
                        "HTTPRoute",
                        "BackendTrafficPolicy",
                        "HorizontalPodAutoscaler",
                        "PodDisruptionBudget",
                        "ConfigMap",
                        "NetworkPolicy",
                        "ServiceAccount",
                        "Role",
                        "RoleBinding",
                        "Cluster")
                .doesNotContain("Ingress");
        assertThat(findings)
                .as(findings.stream().map(Finding::toString).collect(Collectors.joining("\n")))
                .isEmpty();
    }

    @Test
    void theDatabaseTheRouteAndTheLogReaderCanBeLeftOut(@TempDir Path dir) throws IOException {
        Path values = Files.writeString(
                dir.resolve("values.yaml"),
                "database:\n  enabled: false\nroute:\n  enabled: false\nmonitoring:\n  logReader:\n    enabled: false\n");
        List<KubeObject> objects = YamlDocuments.parse(HelmChart.templateYaml("users-api", values)).stream()
                .map(e -> new KubeObject(e.getAsJsonObject()))
                .toList();
        // Without the route, nothing reaches the public port from outside the namespace, and no edge limits remain.
        assertThat(objects)
                .extracting(KubeObject::kind)
                .doesNotContain(
                        "Cluster",
                        "ScheduledBackup",
                        "HTTPRoute",
                        "BackendTrafficPolicy",
                        "Role",
                        "RoleBinding",
                        "Ingress");
        assertThat(objects)
                .extracting(KubeObject::name)
                .doesNotContain("users-api-db-ingress", "users-api-to-db-egress", "users-api-allow-gateway")
                .contains("default-deny-all", "allow-dns-egress", "users-api-allow-monitoring");
    }

    /** The edge limits alone can be switched off; the route and its NetworkPolicy stay. */
    @Test
    void theEdgeLimitsCanBeLeftOutOnTheirOwn(@TempDir Path dir) throws IOException {
        Path values = Files.writeString(dir.resolve("values.yaml"), "edgeLimits:\n  enabled: false\n");
        List<KubeObject> objects = YamlDocuments.parse(HelmChart.templateYaml("users-api", values)).stream()
                .map(e -> new KubeObject(e.getAsJsonObject()))
                .toList();
        assertThat(objects).extracting(KubeObject::kind).contains("HTTPRoute").doesNotContain("BackendTrafficPolicy");
        assertThat(objects).extracting(KubeObject::name).contains("users-api-allow-gateway");
    }

    /** Without trusted proxies the setting is left out (the service's default: the TCP peer is the client). */
    @Test
    void noTrustedProxiesLeavesTheSettingOut(@TempDir Path dir) throws IOException {
        Path values = Files.writeString(dir.resolve("values.yaml"), "config:\n  trustedProxies: []\n");
        KubeObject config = YamlDocuments.parse(HelmChart.templateYaml("users-api", values)).stream()
                .map(e -> new KubeObject(e.getAsJsonObject()))
                .filter(o -> o.is("ConfigMap"))
                .findFirst()
                .orElseThrow();
        assertThat(Json.object(config.body(), "data").orElseThrow().keySet())
                .contains("LOG_LEVEL")
                .doesNotContain("USERS_API_TRUSTED_PROXIES");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "autoscaling:\n  maxReplica: 5\n", // misspelt nested key
                "imag:\n  tag: 0.2.0\n", // misspelt top-level key
                "database:\n  backup:\n    retention: 7d\n", // misspelt deep key
                "config:\n  logLevel: VERBOSE\n", // not an allowed value
                "image:\n  digest: sha256:abc\n", // not a digest
                "podDisruptionBudget:\n  minAvailable: 2\n", // both minAvailable and maxUnavailable
                "ingress:\n  enabled: false\n", // the Ingress is gone (route.* now)
                "route:\n  hostnames: [\"Users.Example.com\"]\n", // not a lower-case DNS name
                "route:\n  gateway:\n    section: https\n", // misspelt gateway key
                "edgeLimits:\n  requestTimeout: 15\n", // not a duration
                "config:\n  trustedProxies: [\"10.244.0.0\"]\n", // not a CIDR
            })
    void theSchemaRejectsAMisspeltOrWrongValue(String override, @TempDir Path dir) throws IOException {
        Path values = Files.writeString(dir.resolve("override.yaml"), override);
        assertThatThrownBy(() -> HelmChart.templateYaml("users-api", values))
                .as("helm template with:%n%s", override)
                .hasMessageContaining("values don't meet the specifications of the schema");
    }

    @Test
    void aMisspeltKeyIsNamedInTheError(@TempDir Path dir) throws IOException {
        Path values = Files.writeString(dir.resolve("override.yaml"), "autoscaling:\n  maxReplica: 5\n");
        assertThatThrownBy(() -> HelmChart.templateYaml("users-api", values)).hasMessageContaining("maxReplica");
    }

    @Test
    void backupsWithoutADestinationAreAnError(@TempDir Path dir) throws IOException {
        Path values = Files.writeString(dir.resolve("override.yaml"), "database:\n  backup:\n    enabled: true\n");
        assertThatThrownBy(() -> HelmChart.templateYaml("users-api", values))
                .hasMessageContaining("database.backup.destinationPath");
    }

    /** NOTES.txt, as {@code helm install --dry-run} prints it: how to create the tokens Secret and reach the service. */
    @Test
    void theNotesTellHowToCreateTheTokensSecretAndReachTheService() {
        String output = new com.marcnuri.helm.Helm(HelmChart.folder())
                .install()
                .withName(HelmChart.RELEASE)
                .withNamespace("users-prod")
                .withValuesFile(HelmChart.folder().resolve("values-prod.yaml"))
                .dryRun()
                .clientOnly()
                .call()
                .getOutput();
        assertThat(output)
                .contains(
                        "kubectl -n users-prod create secret generic users-api-tokens --from-file=tokens=./tokens",
                        "kubectl label namespace users-prod pod-security.kubernetes.io/enforce=restricted",
                        "https://users.example.com/",
                        "through the Gateway gateway/users-api (listener https",
                        "kubectl -n users-prod get httproute users-api",
                        "kubectl -n users-prod port-forward svc/users-api 8080:80",
                        "image " + IMAGE + "@sha256:",
                        "Backups to s3://change-me-users-api-db-backups/prod need the Secret users-api-db-backup")
                .doesNotContain("Ingress");
    }

    /** CI packages and lints with the Helm release whose code these tests run (helm-java embeds one). */
    @Test
    void ciInstallsTheHelmTheseTestsRun() throws IOException {
        String embedded = com.marcnuri.helm.Helm.version().call();
        Matcher ci = Pattern.compile("(?m)^\\s+HELM_VERSION:\\s*(\\S+)\\s*$")
                .matcher(Files.readString(TestRepository.root().resolve(".github/workflows/ci.yml")));
        assertThat(ci.find()).as("HELM_VERSION in .github/workflows/ci.yml").isTrue();
        assertThat(embedded)
                .as("helm-java's Helm vs ci.yml's HELM_VERSION (%s)", ci.group(1))
                .startsWith(ci.group(1));
    }

    /** Chart.yaml's version and appVersion are the project's version (pom.xml) without -SNAPSHOT. */
    @Test
    void theChartVersionIsTheProjectVersion() throws IOException {
        Path root = TestRepository.root();
        Matcher parent = Pattern.compile("<artifactId>users-api-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(root.resolve("pom.xml")));
        assertThat(parent.find()).as("users-api-parent's version in pom.xml").isTrue();
        String release = parent.group(1).replaceFirst("-SNAPSHOT$", "");
        var chart = YamlDocuments.parse(Files.readString(HelmChart.folder().resolve("Chart.yaml")))
                .get(0);
        assertThat(Json.string(chart, "version"))
                .as("Chart.yaml version (pom.xml says %s)", parent.group(1))
                .hasValue(release);
        assertThat(Json.string(chart, "appVersion"))
                .as("Chart.yaml appVersion (pom.xml says %s)", parent.group(1))
                .hasValue(release);
    }
}
