package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.usersapi.policy.schema.BuiltinKinds;
import dev.usersapi.policy.schema.CustomResourceSchemas;
import dev.usersapi.policy.schema.ModelValidator;
import dev.usersapi.policy.schema.Violation;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Rule 2 in detail: mutations of the valid fixture's rendered objects, checked in memory. */
class SchemaCheckTest {

    private final SchemaCheck check = new SchemaCheck();
    private final CustomResourceSchemas crds = SchemaCheck.bundledSchemas();

    @Test
    void theValidFixtureHasNoViolation() {
        for (KubeObject o : ValidFixture.objects()) {
            assertThat(check.violations(o, crds)).as(o.id()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0} {1} = {2}")
    @CsvSource(delimiter = '|', textBlock = """
            Deployment  | spec.replica                                          | 2          | spec.replica                 | unknown field (did you mean 'replicas'?) in V1DeploymentSpec
            Deployment  | spec.replicas                                         | "three"    | spec.replicas                | expected an integer, got string "three"
            Deployment  | spec.replicas                                         | 1.5        | spec.replicas                | expected an integer, got number 1.5
            Deployment  | spec.template.spec.containers.0.imagePullPolicy       | true       | spec.template.spec.containers[app].imagePullPolicy | expected a string, got boolean true
            Deployment  | spec.template.spec.containers.0.resources.limits.cpu  | "lots"     | spec.template.spec.containers[app].resources.limits.cpu | not a quantity
            Deployment  | spec.template.spec.containers.0.ports                 | {}         | spec.template.spec.containers[app].ports | expected a list, got an object
            Deployment  | spec.template.spec.containers.0.livenessProbe.httpGet.port | [1]   | spec.template.spec.containers[app].livenessProbe.httpGet.port | expected an integer or string, got a list
            Service     | spec.ports.0.targetPort                               | 8080.5     | spec.ports[http].targetPort  | expected an integer or string, got number 8080.5
            Application | spec.destinaton                                       | {}         | spec.destinaton              | unknown field (did you mean 'destination'?)
            Application | spec.source.repoUrl                                   | "x"        | spec.source.repoUrl          | unknown field (did you mean 'repoURL'?)
            Application | spec.syncPolicy.automated.prune                       | "yes"      | spec.syncPolicy.automated.prune | expected a boolean, got string "yes"
            Application | spec.revisionHistoryLimit                             | "10"       | spec.revisionHistoryLimit    | expected an integer, got string "10"
            AppProject  | spec.sourceRepo                                       | []         | spec.sourceRepo              | unknown field (did you mean 'sourceRepos'?)
            AppProject  | spec.namespaceResourceWhitelist.0                     | {"group": "apps"} | spec.namespaceResourceWhitelist[0].kind | required field missing
            AppProject  | metadata.label                                        | {}         | metadata.label               | unknown field (did you mean 'labels'?) in V1ObjectMeta
            """)
    void aMutationIsRejectedWithItsPath(String kind, String path, String json, String reportedPath, String message) {
        List<KubeObject> objects = ValidFixture.objects();
        KubeObject o = objects.stream().filter(x -> x.is(kind)).findFirst().orElseThrow();
        ValidFixture.set(o, path, json);

        assertThat(check.violations(o, crds))
                .extracting(Violation::path, Violation::message)
                .anySatisfy(v -> {
                    assertThat(v.toList().get(0)).isEqualTo(reportedPath);
                    assertThat((String) v.toList().get(1)).startsWith(message);
                });
    }

    @Test
    void anUnquotedNumberInAnnotationsIsRejected() {
        KubeObject deployment = ValidFixture.object(ValidFixture.objects(), "Deployment");
        JsonObject annotations = Json.object(deployment.body(), "spec", "template", "metadata", "annotations")
                .orElseThrow();
        annotations.addProperty("prometheus.io/port", 8081);

        assertThat(check.violations(deployment, crds))
                .containsExactly(new Violation(
                        "spec.template.metadata.annotations[\"prometheus.io/port\"]",
                        "expected a string, got number 8081"));
    }

    @Test
    void aMissingRequiredFieldIsRejected() {
        List<KubeObject> objects = ValidFixture.objects();
        KubeObject deployment = ValidFixture.object(objects, "Deployment");
        ValidFixture.remove(deployment, "spec.selector");
        KubeObject application = ValidFixture.object(objects, "Application");
        ValidFixture.remove(application, "spec.project");

        assertThat(check.violations(deployment, crds))
                .contains(new Violation("spec.selector", "required field missing in V1DeploymentSpec"));
        assertThat(check.violations(application, crds))
                .contains(new Violation("spec.project", "required field missing"));
    }

    @Test
    void everyProblemOfAnObjectIsReportedNotOnlyTheFirst() {
        KubeObject deployment = ValidFixture.object(ValidFixture.objects(), "Deployment");
        ValidFixture.set(deployment, "spec.replica", "2");
        ValidFixture.set(deployment, "spec.template.spec.containers.0.name", "7");
        ValidFixture.set(deployment, "spec.template.spec.securityContext.runAsUsr", "1");

        assertThat(check.violations(deployment, crds))
                .extracting(Violation::path)
                .contains(
                        "spec.replica",
                        "spec.template.spec.containers[0].name",
                        "spec.template.spec.securityContext.runAsUsr");
    }

    @Test
    void aRemovedOrMisplacedApiVersionIsNotServed() {
        KubeObject hpa = ValidFixture.object(ValidFixture.objects(), "HorizontalPodAutoscaler");
        ValidFixture.set(hpa, "apiVersion", "\"autoscaling/v2beta2\"");
        KubeObject service = ValidFixture.object(ValidFixture.objects(), "Service");
        ValidFixture.set(service, "apiVersion", "\"apps/v1\"");

        assertThat(check.violations(hpa, crds))
                .singleElement()
                .extracting(Violation::message)
                .asString()
                .contains("autoscaling/v2beta2 HorizontalPodAutoscaler is not a stable kind");
        assertThat(check.violations(service, crds))
                .singleElement()
                .extracting(Violation::message)
                .asString()
                .contains("apps/v1 Service is not a stable kind");
    }

    @Test
    void secretDataMustBeBase64() {
        JsonObject secret = com.google.gson.JsonParser.parseString(
                        "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"s\"},\"data\":{\"k\":\"not base64!\"}}")
                .getAsJsonObject();

        assertThat(check.violations(new KubeObject(secret), crds))
                .containsExactly(new Violation("data.k", "expected base64 data, got string \"not base64!\""));
    }

    @Test
    void aCustomResourceIsCheckedAgainstACrdInTheSameRender() {
        List<KubeObject> objects = new ArrayList<>(ValidFixture.objects());
        KubeObject crd =
                new KubeObject(com.google.gson.JsonParser.parseString("""
                {"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                 "metadata": {"name": "widgets.example.com"},
                 "spec": {"group": "example.com", "scope": "Namespaced",
                   "names": {"kind": "Widget", "plural": "widgets"},
                   "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {
                     "type": "object", "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"},
                       "metadata": {"type": "object"},
                       "spec": {"type": "object", "required": ["size"], "properties": {"size": {"type": "integer"}}}}}}}]}}
                """).getAsJsonObject());
        KubeObject widget =
                new KubeObject(com.google.gson.JsonParser.parseString("""
                {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}, "spec": {"sise": 3}}
                """).getAsJsonObject());
        objects.add(crd);
        objects.add(widget);

        List<Finding> findings = new ArrayList<>();
        check.check(ValidFixture.render(objects), List.of(), new Findings("fixture", Rule.SCHEMA, findings));

        assertThat(findings)
                .map(Finding::toString)
                .containsExactlyInAnyOrder(
                        "fixture: Widget w: spec.sise: unknown field (did you mean 'size'?) [schema]",
                        "fixture: Widget w: spec.size: required field missing [schema]");
    }

    @Test
    void theBundledCrdsAreThemselvesValidCustomResourceDefinitions() {
        ModelValidator models = new ModelValidator();
        assertThat(CustomResourceSchemas.bundledDefinitions())
                .isNotEmpty()
                .allSatisfy((name, crd) -> assertThat(models.validate(V1CustomResourceDefinition.class, crd, ""))
                        .as(name)
                        .isEmpty());
        assertThat(crds.lookup("argoproj.io/v1alpha1", "Application")).isPresent();
        assertThat(crds.lookup("argoproj.io/v1alpha1", "AppProject")).isPresent();
    }

    @Test
    void theBuiltinTableCoversTheWorkloadAndNetworkKinds() {
        for (String[] gvk : new String[][] {
            {"apps/v1", "Deployment"},
            {"apps/v1", "StatefulSet"},
            {"apps/v1", "DaemonSet"},
            {"batch/v1", "Job"},
            {"batch/v1", "CronJob"},
            {"v1", "Service"},
            {"autoscaling/v2", "HorizontalPodAutoscaler"},
            {"policy/v1", "PodDisruptionBudget"},
            {"networking.k8s.io/v1", "NetworkPolicy"},
            {"networking.k8s.io/v1", "Ingress"}
        }) {
            assertThat(BuiltinKinds.get().lookup(gvk[0], gvk[1]))
                    .as(gvk[0] + " " + gvk[1])
                    .isPresent();
        }
    }
}
