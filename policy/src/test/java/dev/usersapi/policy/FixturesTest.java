package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule bites: the valid fixture passes every rule, and each invalid fixture (the valid one plus one patch) fails
 * with the one-line finding that names its file, object, field and rule.
 */
class FixturesTest {

    /** Fixture folder, the rule it breaks, the line it must produce (after the file name), rules it also breaks. */
    static Stream<Arguments> invalidFixtures() {
        return Stream.of(
                arguments("render-missing-resource", Rule.RENDER, "-: (render): kustomize failed: ", Set.of()),
                arguments(
                        "schema-deployment-replica",
                        Rule.SCHEMA,
                        "Deployment fixture/app: spec.replica: unknown field (did you mean 'replicas'?)",
                        Set.of()),
                arguments(
                        "schema-application-misspelled",
                        Rule.SCHEMA,
                        "Application fixture/app: spec.syncPolicy.automated.selfheal: unknown field (did you mean 'selfHeal'?)",
                        Set.of()),
                arguments(
                        "schema-wrong-type",
                        Rule.SCHEMA,
                        "Deployment fixture/app: spec.template.spec.containers[app].ports[http].containerPort: expected an integer, got string \"8080\"",
                        Set.of()),
                arguments(
                        "schema-unknown-kind",
                        Rule.SCHEMA,
                        "ApplicationSet apps: apiVersion: no schema for argoproj.io/v1alpha1 ApplicationSet",
                        Set.of()),
                arguments(
                        "pod-security-host-network",
                        Rule.POD_SECURITY,
                        "CronJob fixture/app-report: spec.jobTemplate.spec.template.spec.hostNetwork: must not be true",
                        Set.of()),
                arguments(
                        "pod-security-root",
                        Rule.POD_SECURITY,
                        "Deployment fixture/app: spec.template.spec.securityContext.runAsUser: must not be 0",
                        Set.of()),
                arguments(
                        "pod-security-capabilities",
                        Rule.POD_SECURITY,
                        "Deployment fixture/app: spec.template.spec.containers[app].securityContext.capabilities.add: may only add NET_BIND_SERVICE, not NET_ADMIN",
                        Set.of()),
                arguments(
                        "hardening-writable-root",
                        Rule.CONTAINER_HARDENING,
                        "Deployment fixture/app: spec.template.spec.containers[app].securityContext.readOnlyRootFilesystem: must be true",
                        Set.of()),
                arguments(
                        "hardening-no-limits",
                        Rule.CONTAINER_HARDENING,
                        "Deployment fixture/app: spec.template.spec.containers[app].resources.limits.memory: required",
                        Set.of()),
                arguments(
                        "hardening-no-readiness",
                        Rule.CONTAINER_HARDENING,
                        "Deployment fixture/app: spec.template.spec.containers[app].readinessProbe: required",
                        Set.of()),
                arguments(
                        "image-latest",
                        Rule.IMAGE_PINNING,
                        "Deployment fixture/app: spec.template.spec.containers[app].image: 'ghcr.io/example/users-api:latest': `latest` is not a version",
                        Set.of()),
                arguments(
                        "image-prod-by-tag",
                        Rule.IMAGE_PINNING,
                        "Deployment users-prod/app: spec.template.spec.containers[app].image: 'ghcr.io/example/users-api:0.1.0': namespace users-prod runs images by digest only",
                        Set.of()),
                arguments(
                        "references-service-selector",
                        Rule.REFERENCES,
                        "Service fixture/app: spec.selector: selects no pod template in this render",
                        Set.of()),
                arguments(
                        "references-target-port",
                        Rule.REFERENCES,
                        "Service fixture/app: spec.ports[admin].targetPort: no container port named metrics",
                        Set.of()),
                arguments(
                        "references-probe-port",
                        Rule.REFERENCES,
                        "Deployment fixture/app: spec.template.spec.containers[app].livenessProbe.httpGet.port: container app declares no port named health",
                        Set.of()),
                arguments(
                        "references-configmap-key",
                        Rule.REFERENCES,
                        "Deployment fixture/app: spec.template.spec.containers[app].env[GREETING_COPY].valueFrom.configMapKeyRef: ConfigMap app-config-",
                        Set.of()),
                arguments(
                        "references-secret-undeclared",
                        Rule.REFERENCES,
                        "Deployment fixture/app: spec.template.spec.volumes[tokens].secret.secretName: no Secret app-tokens in this render",
                        Set.of()),
                arguments(
                        "references-declared-unused",
                        Rule.REFERENCES,
                        "Deployment fixture/app: spec.template.metadata.annotations[\"policy.usersapi.dev/cluster-provided-secrets\"]: declares Secret db-password as cluster-provided but never references it",
                        Set.of()),
                arguments(
                        "references-cluster-secret-undeclared",
                        Rule.REFERENCES,
                        "Cluster fixture/app-db: spec.backup.barmanObjectStore.s3Credentials.accessKeyId.name: no Secret app-db-backup in this render",
                        Set.of()),
                // Without its HPA the Deployment falls back to one replica, which the PDB then no longer lets go.
                arguments(
                        "references-hpa-target",
                        Rule.REFERENCES,
                        "HorizontalPodAutoscaler fixture/app: spec.scaleTargetRef: no Deployment ap in this render",
                        Set.of(Rule.AUTOSCALING)),
                arguments(
                        "network-no-default-deny",
                        Rule.NETWORK_DEFAULT_DENY,
                        "ServiceAccount fixture/app: metadata.namespace: namespace fixture has no default-deny NetworkPolicy for Egress",
                        Set.of()),
                arguments(
                        "namespace-baseline",
                        Rule.NAMESPACE_POD_SECURITY,
                        "Namespace fixture: metadata.labels[\"pod-security.kubernetes.io/enforce\"]: must be restricted, not baseline",
                        Set.of()),
                arguments(
                        "graceful-drain-too-long",
                        Rule.GRACEFUL_SHUTDOWN,
                        "Deployment fixture/app: spec.template.spec.terminationGracePeriodSeconds: 20 s is shorter than preStop sleep 5 s"
                                + " + USERS_API_DRAIN_SECONDS 30 s (from ConfigMap app-config-",
                        Set.of()),
                arguments(
                        "graceful-no-prestop",
                        Rule.GRACEFUL_SHUTDOWN,
                        "Deployment fixture/app: spec.template.spec.containers[app].lifecycle.preStop.sleep.seconds: required",
                        Set.of()),
                arguments(
                        "ingress-admin-port",
                        Rule.INGRESS_PUBLIC_ONLY,
                        "Ingress fixture/app: spec.rules[0].http.paths[0].backend.service.port: routes to container port admin",
                        Set.of()),
                arguments(
                        "references-gateway-secret-undeclared",
                        Rule.REFERENCES,
                        "Gateway fixture/edge: spec.listeners[0].tls.certificateRefs[0]: no Secret edge-tls in this render",
                        Set.of()),
                arguments(
                        "httproute-admin-port",
                        Rule.INGRESS_PUBLIC_ONLY,
                        "HTTPRoute fixture/app: spec.rules[0].backendRefs[0].port: routes to container port admin",
                        Set.of()),
                arguments(
                        "schema-httproute-misspelled",
                        Rule.SCHEMA,
                        "HTTPRoute fixture/app: spec.rules[0].backendRef: unknown field (did you mean 'backendRefs'?)",
                        Set.of()),
                arguments(
                        "autoscaling-replicas",
                        Rule.AUTOSCALING,
                        "Deployment fixture/app: spec.replicas: set while HorizontalPodAutoscaler app manages the count",
                        Set.of()),
                arguments(
                        "autoscaling-pdb-blocks-eviction",
                        Rule.AUTOSCALING,
                        "PodDisruptionBudget fixture/app: spec.minAvailable: allows no eviction of Deployment fixture/app at 2 replica(s)",
                        Set.of()),
                arguments(
                        "schema-cluster-instance",
                        Rule.SCHEMA,
                        "Cluster fixture/app-db: spec.instance: unknown field (did you mean 'instances'?)",
                        Set.of()),
                arguments(
                        "database-image-latest",
                        Rule.DATABASE,
                        "Cluster fixture/app-db: spec.imageName: 'ghcr.io/cloudnative-pg/postgresql:latest': `latest` is not a version",
                        Set.of()),
                arguments(
                        "database-memory-overcommit",
                        Rule.DATABASE,
                        "Cluster fixture/app-db: spec.resources.requests.memory: must equal limits.memory (512Mi)",
                        Set.of()),
                arguments(
                        "database-no-pdb",
                        Rule.DATABASE,
                        "Cluster fixture/app-db: spec.enablePDB: must not be false",
                        Set.of()),
                arguments(
                        "database-not-scraped",
                        Rule.DATABASE,
                        "Cluster fixture/app-db: spec.inheritedMetadata.annotations[\"prometheus.io/scrape\"]: must be \"true\"",
                        Set.of()),
                arguments(
                        "database-security-override",
                        Rule.DATABASE,
                        "Cluster fixture/app-db: spec.podSecurityContext: must not be set",
                        Set.of()),
                // In users-prod the fixture's service image (by tag) breaks image pinning too.
                arguments(
                        "database-prod-single-instance",
                        Rule.DATABASE,
                        "Cluster users-prod/app-db: spec.instances: 1 in users-prod: a production database runs at least 3",
                        Set.of(Rule.IMAGE_PINNING)),
                arguments(
                        "database-prod-asynchronous",
                        Rule.DATABASE,
                        "Cluster users-prod/app-db: spec.postgresql.synchronous: required in users-prod",
                        Set.of(Rule.IMAGE_PINNING)),
                arguments(
                        "database-prod-no-backup",
                        Rule.DATABASE,
                        "Cluster users-prod/app-db: spec.backup: required in users-prod",
                        Set.of(Rule.IMAGE_PINNING)),
                arguments(
                        "plaintext-secret",
                        Rule.PLAINTEXT_SECRET,
                        "Secret app-password: stringData: a Secret with data in git is plaintext",
                        Set.of()),
                // The valid fixture's pod needs its tokens Secret from the cluster: deployed by an Application, that
                // breaks
                // the first-sync rule too.
                arguments(
                        "gitops-project-kind",
                        Rule.GITOPS,
                        "Application fixture/app: spec.source.path: policy/src/test/resources/fixtures/valid renders Namespace fixture,"
                                + " which AppProject app does not allow (add Namespace to spec.clusterResourceWhitelist)",
                        Set.of(Rule.FIRST_SYNC)),
                arguments(
                        "first-sync-secret-nobody-creates",
                        Rule.FIRST_SYNC,
                        "Application argocd/app: spec.source.path: policy/src/test/resources/fixtures/invalid/first-sync-secret-nobody-creates/app:"
                                + " Deployment app spec.template.spec.volumes[key].secret.secretName: the pod cannot start without Secret"
                                + " fixture/app-key, which nothing creates before the first sync",
                        Set.of()));
    }

    @Test
    void theValidFixturePassesEveryRule() {
        Policy.Result result = TestRepository.policy().check(List.of(TestRepository.fixture("valid")));

        assertThat(result.findings()).isEmpty();
        // The fixture must hold what the rules look at, or "no findings" would prove nothing.
        assertThat(result.renders())
                .singleElement()
                .satisfies(render -> assertThat(render.objects())
                        .extracting(KubeObject::kind)
                        .contains(
                                "Namespace",
                                "ServiceAccount",
                                "ConfigMap",
                                "Deployment",
                                "Service",
                                "HorizontalPodAutoscaler",
                                "PodDisruptionBudget",
                                "NetworkPolicy",
                                "Ingress",
                                "HTTPRoute",
                                "Gateway",
                                "CronJob",
                                "Application",
                                "AppProject",
                                "Cluster",
                                "ScheduledBackup"));
    }

    @ParameterizedTest(name = "{0} fails {1}")
    @MethodSource("invalidFixtures")
    void anInvalidFixtureFailsItsRule(String fixture, Rule rule, String expected, Set<Rule> consequences) {
        List<Finding> findings = TestRepository.policy()
                .check(List.of(TestRepository.fixture("invalid/" + fixture)))
                .findings();

        String file = "policy/src/test/resources/fixtures/invalid/" + fixture + "/kustomization.yaml";
        assertThat(findings).as("findings of %s", fixture).isNotEmpty();
        assertThat(findings)
                .map(Finding::toString)
                .anySatisfy(line ->
                        assertThat(line).startsWith(file + ": " + expected).endsWith(" [" + rule.id() + "]"));
        Set<Rule> allowed = EnumSet.of(rule);
        allowed.addAll(consequences);
        assertThat(findings)
                .extracting(Finding::rule)
                .as("only the broken rule fails")
                .allMatch(allowed::contains);
    }

    @Test
    void everyInvalidFixtureIsExercisedAndEveryRuleHasOne() throws IOException {
        Set<String> listed = invalidFixtures().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        try (Stream<Path> dirs = Files.list(TestRepository.fixtures().resolve("invalid"))) {
            assertThat(dirs.map(d -> d.getFileName().toString())).containsExactlyInAnyOrderElementsOf(listed);
        }
        Set<Rule> proven = invalidFixtures().map(a -> (Rule) a.get()[1]).collect(Collectors.toSet());
        assertThat(proven).containsExactlyInAnyOrderElementsOf(Arrays.asList(Rule.values()));
    }
}
