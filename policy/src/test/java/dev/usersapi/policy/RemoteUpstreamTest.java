package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Remote-only kustomizations. Offline cases use a source on {@code upstream.invalid}, a name that never resolves
 * (RFC 6761), so they are offline on every machine; online cases serve the manifest from a loopback HTTP server.
 */
class RemoteUpstreamTest {

    private static final Path FIXTURE = TestRepository.fixtures().resolve("gitops-repository/gitops/upstream");
    private static final String SOURCE = "https://upstream.invalid/releases/v1.0.0/manifest.yaml";

    @TempDir
    Path repo;

    private Path folder;
    private HttpServer server;
    private final Map<String, String> served = new ConcurrentHashMap<>();

    @BeforeEach
    void copyTheFixture() throws IOException {
        folder = Files.createDirectories(repo.resolve("gitops/upstream"));
        try (Stream<Path> files = Files.list(FIXTURE)) {
            for (Path f : files.toList()) {
                Files.copy(f, folder.resolve(f.getFileName().toString()));
            }
        }
        // Used by the case of a patch transformer: a PatchTransformer of an object the inventory does not list.
        Files.writeString(folder.resolve("settings-transformer.yaml"), """
                apiVersion: builtin
                kind: PatchTransformer
                metadata:
                  name: other
                target:
                  kind: ConfigMap
                  name: other-settings
                patch: |-
                  - op: add
                    path: /data/mode
                    value: quiet
                """);
    }

    @AfterEach
    void stopTheServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    private RemoteUpstreams.Outcome outcome() {
        return new RemoteUpstreams(repo, KustomizeRenderer.shared())
                .check(folder.resolve("kustomization.yaml"))
                .orElseThrow();
    }

    private static List<String> lines(RemoteUpstreams.Outcome outcome) {
        return outcome.findings().stream().map(Finding::toString).toList();
    }

    private void replace(String file, String from, String to) throws IOException {
        Path p = folder.resolve(file);
        String text = Files.readString(p);
        assertThat(text).as("%s holds the text the case changes", file).contains(from);
        Files.writeString(p, text.replace(from, to));
    }

    @Test
    void offlineTheOwnFilesRenderAndTheInventoryStandsInForTheManifest() {
        RemoteUpstreams.Outcome outcome = outcome();

        assertThat(lines(outcome)).isEmpty();
        assertThat(outcome.online()).isFalse();
        assertThat(outcome.own())
                .get()
                .satisfies(
                        r -> assertThat(r.objects()).extracting(KubeObject::id).containsExactly("Namespace upstream"));
        assertThat(outcome.deployed())
                .map(Deployed::toString)
                .containsExactly(
                        "Namespace upstream",
                        "apps/Deployment",
                        "ConfigMap",
                        "rbac.authorization.k8s.io/ClusterRole",
                        "ConfigMap upstream/upstream-settings");
        assertThat(outcome.deployed())
                .filteredOn(d -> d.kind().kind().equals("Deployment"))
                .singleElement()
                .satisfies(d -> assertThat(d.namespaceUnder("elsewhere")).isEqualTo("upstream"));
        assertThat(outcome.deployed())
                .filteredOn(d -> d.kind().kind().equals("ClusterRole"))
                .singleElement()
                .satisfies(d -> assertThat(d.namespaced()).isFalse());
    }

    /** A PatchTransformer (it runs after the kustomization's namespace) keeps the upstream ConfigMap in kube-system. */
    private void placeTheSettingsInKubeSystem() throws IOException {
        Files.writeString(folder.resolve("keep-settings.yaml"), """
                apiVersion: builtin
                kind: PatchTransformer
                metadata:
                  name: keep-settings
                target:
                  kind: ConfigMap
                  name: upstream-settings
                patch: |-
                  - op: replace
                    path: /metadata/namespace
                    value: kube-system
                """);
        Files.writeString(
                folder.resolve("kustomization.yaml"),
                "transformers:\n  - keep-settings.yaml\n",
                StandardOpenOption.APPEND);
        Files.writeString(
                folder.resolve("upstream.yaml"),
                "placed:\n  - ConfigMap upstream-settings kube-system\n",
                StandardOpenOption.APPEND);
    }

    @Test
    void offlineAnObjectPlacedInAnotherNamespaceIsDeployedThere() throws IOException {
        placeTheSettingsInKubeSystem();

        RemoteUpstreams.Outcome outcome = outcome();

        assertThat(lines(outcome)).isEmpty();
        assertThat(outcome.own())
                .get()
                .satisfies(
                        r -> assertThat(r.objects()).extracting(KubeObject::id).containsExactly("Namespace upstream"));
        assertThat(outcome.deployed())
                .map(Deployed::toString)
                .contains("ConfigMap", "ConfigMap kube-system/upstream-settings")
                .doesNotContain("ConfigMap upstream/upstream-settings");
    }

    @Test
    void onlineAPlacementTheRenderDoesNotMakeIsAFinding() throws IOException {
        served.put("/releases/v1.0.0/manifest.yaml", MANIFEST);
        serveOnLoopback();
        placeTheSettingsInKubeSystem();
        replace("upstream.yaml", "upstream-settings kube-system", "upstream-settings monitoring");

        assertThat(lines(outcome()))
                .anySatisfy(
                        line -> assertThat(line)
                                .contains(
                                        "upstream.yaml: placed: lists ConfigMap upstream-settings in monitoring, but the render puts it elsewhere"));
    }

    @Test
    void onlineAPlacedObjectIsDeployedWhereTheTransformerPutIt() throws IOException {
        served.put("/releases/v1.0.0/manifest.yaml", MANIFEST);
        serveOnLoopback();
        placeTheSettingsInKubeSystem();

        RemoteUpstreams.Outcome outcome = outcome();

        assertThat(lines(outcome)).isEmpty();
        assertThat(outcome.deployed()).map(Deployed::toString).contains("ConfigMap kube-system/upstream-settings");
    }

    @Test
    void aKustomizationWithoutTheMarkerIsNotRemoteOnly() throws IOException {
        replace("kustomization.yaml", "    policy.usersapi.dev/remote-upstream: upstream.yaml\n", "    note: none\n");

        assertThat(new RemoteUpstreams(repo, KustomizeRenderer.shared()).check(folder.resolve("kustomization.yaml")))
                .isEmpty();
    }

    static Stream<Arguments> brokenFolders() {
        String k = "kustomization.yaml";
        String u = "upstream.yaml";
        return Stream.of(
                arguments(
                        "a branch instead of a release",
                        k + "|" + u,
                        "releases/v1.0.0/|releases/v1.0.0/",
                        "releases/stable/|releases/stable/",
                        "upstream.yaml: source: is not pinned to version v1.0.0"),
                arguments(
                        "a floating version",
                        u,
                        "version: v1.0.0",
                        "version: latest",
                        "upstream.yaml: version: must be an exact release like v1.2.3, not 'latest'"),
                arguments(
                        "the URL bumped in one place only",
                        k,
                        "releases/v1.0.0/",
                        "releases/v1.0.1/",
                        "resources[1]: remote resource https://upstream.invalid/releases/v1.0.1/manifest.yaml is not the source of upstream.yaml"),
                arguments(
                        "a second remote resource",
                        k,
                        "  - namespace.yaml\n",
                        "  - namespace.yaml\n  - https://upstream.invalid/extra/v1.0.0/x.yaml\n",
                        "resources: has 2 remote resources"),
                arguments(
                        "a query that can follow a branch",
                        k + "|" + u,
                        "manifest.yaml\n|manifest.yaml\n",
                        "manifest.yaml?ref=main\n|manifest.yaml?ref=main\n",
                        "upstream.yaml: source: must name the file itself, without ?ref="),
                arguments(
                        "plain http",
                        k + "|" + u,
                        "https://upstream.invalid|https://upstream.invalid",
                        "http://upstream.invalid|http://upstream.invalid",
                        "upstream.yaml: source: must be an https URL"),
                arguments(
                        "a patch of an object the inventory does not list",
                        "settings.yaml",
                        "name: upstream-settings",
                        "name: other-settings",
                        "patches[0]: targets ConfigMap other-settings, which upstream.yaml does not list among the upstream objects"),
                arguments(
                        "a misspelled field in a patch",
                        "settings.yaml",
                        "\ndata:",
                        "\ndat:",
                        "patches[0] dat: unknown field (did you mean 'data'?)"),
                arguments(
                        "a patch by pattern",
                        k,
                        "  - path: settings.yaml\n",
                        "  - path: settings.yaml\n    target:\n      kind: ConfigMap\n      name: upstream-.*\n",
                        "patches[0].target: must name one object by kind and exact name (no pattern)"),
                arguments(
                        "an unknown kind in the inventory",
                        u,
                        "  - ConfigMap\n",
                        "  - ConfigMap\n  - example.com/Widget\n",
                        "upstream.yaml: kinds[2]: unknown kind example.com/Widget"),
                arguments(
                        "an unknown key in the inventory",
                        u,
                        "version: v1.0.0\n",
                        "version: v1.0.0\nsha: abc\n",
                        "upstream.yaml: sha: unknown key"),
                arguments(
                        "a marker that names no file",
                        k,
                        "remote-upstream: upstream.yaml",
                        "remote-upstream: inventory.yaml",
                        "inventory.yaml: missing"),
                arguments(
                        "legacy patch fields",
                        k,
                        "patches:\n  - path: settings.yaml\n",
                        "patchesStrategicMerge:\n  - settings.yaml\n",
                        "patchesStrategicMerge: use patches:"),
                arguments(
                        "own files that need something outside the folder",
                        k,
                        "  - namespace.yaml\n",
                        "  - namespace.yaml\n  - ../../app\n",
                        "(render): its own files do not render without the remote manifest"),
                arguments(
                        "a marker on a kustomization that needs no network",
                        k,
                        "  - " + SOURCE + "\n",
                        "",
                        "resources: has no remote resource"),
                arguments(
                        "a patch transformer of an object the inventory does not list",
                        k,
                        "patches:\n  - path: settings.yaml\n",
                        "transformers:\n  - settings-transformer.yaml\n",
                        "transformers[0]: targets ConfigMap other-settings, which upstream.yaml does not list among the upstream objects"),
                arguments(
                        "a placement of an object the inventory does not list",
                        u,
                        "objects:\n",
                        "placed:\n  - ConfigMap other-settings kube-system\nobjects:\n",
                        "upstream.yaml: placed[0]: ConfigMap other-settings is not listed under objects:"),
                arguments(
                        "a placement without its namespace",
                        u,
                        "objects:\n",
                        "placed:\n  - ConfigMap upstream-settings\nobjects:\n",
                        "upstream.yaml: placed[0]: must be 'Kind name namespace'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFolders")
    void eachBreakIsFound(String description, String files, String froms, String tos, String expected)
            throws IOException {
        String[] f = files.split("\\|", -1);
        String[] a = froms.split("\\|", -1);
        String[] b = tos.split("\\|", -1);
        for (int i = 0; i < f.length; i++) {
            replace(f[i], a[i], b[i]);
        }

        assertThat(lines(outcome()))
                .anySatisfy(line -> assertThat(line)
                        .startsWith("gitops/upstream/kustomization.yaml: -: " + expected)
                        .endsWith("[render]"));
    }

    // --- online: the manifest is served from loopback -------------------------------------------------------------

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: upstream-controller
            spec:
              selector:
                matchLabels: {app: upstream}
              template:
                metadata:
                  labels: {app: upstream}
                spec:
                  securityContext:
                    runAsNonRoot: true
                    runAsUser: 1001
                    seccompProfile: {type: RuntimeDefault}
                  containers:
                    - name: controller
                      image: registry.example.com/upstream/controller:1.0.0
                      securityContext:
                        allowPrivilegeEscalation: false
                        capabilities: {drop: [ALL]}
            """;
    private static final String MANIFEST = DEPLOYMENT + """
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: upstream-settings
            data:
              mode: loud
            ---
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata:
              name: upstream-reader
            rules:
              - apiGroups: [""]
                resources: [configmaps]
                verbs: [get]
            """;

    /** Serves {@link #served} on loopback and points the fixture at it. */
    private void serveOnLoopback() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = served.get(exchange.getRequestURI().getPath());
            byte[] bytes = (body == null ? "not found" : body).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        String local = "http://127.0.0.1:" + server.getAddress().getPort();
        replace("kustomization.yaml", "https://upstream.invalid", local);
        replace("upstream.yaml", "https://upstream.invalid", local);
    }

    @Test
    void onlineTheRealManifestIsRenderedAndMatchesTheInventory() throws IOException {
        served.put("/releases/v1.0.0/manifest.yaml", MANIFEST);
        serveOnLoopback();

        RemoteUpstreams.Outcome outcome = outcome();

        assertThat(lines(outcome)).isEmpty();
        assertThat(outcome.online()).isTrue();
        assertThat(outcome.deployed())
                .map(Deployed::toString)
                .contains(
                        "apps/Deployment upstream/upstream-controller",
                        "ConfigMap upstream/upstream-settings",
                        "rbac.authorization.k8s.io/ClusterRole upstream-reader",
                        "Namespace upstream");
    }

    /** A `$patch: delete` of an inventory object (as gitops/envoy-gateway drops the bundled Gateway API CRDs). */
    private void deleteTheReader() throws IOException {
        // Appended to the fixture's patches: list, which ends the file.
        Files.writeString(folder.resolve("kustomization.yaml"), """
                  - target: {group: rbac.authorization.k8s.io, kind: ClusterRole, name: upstream-reader}
                    patch: |-
                      $patch: delete
                      apiVersion: rbac.authorization.k8s.io/v1
                      kind: ClusterRole
                      metadata:
                        name: upstream-reader
                """, StandardOpenOption.APPEND);
        replace("upstream.yaml", "objects:\n", "objects:\n  - ClusterRole upstream-reader\n");
    }

    @Test
    void offlineADeletedObjectIsNotDeployed() throws IOException {
        deleteTheReader();

        RemoteUpstreams.Outcome outcome = outcome();

        assertThat(lines(outcome)).isEmpty();
        assertThat(outcome.deployed())
                .map(Deployed::toString)
                .doesNotContain("rbac.authorization.k8s.io/ClusterRole upstream-reader");
    }

    @Test
    void onlineADeletedObjectIsGoneFromTheRenderAndNotPromised() throws IOException {
        served.put("/releases/v1.0.0/manifest.yaml", MANIFEST);
        serveOnLoopback();
        deleteTheReader();

        RemoteUpstreams.Outcome outcome = outcome();

        assertThat(lines(outcome)).isEmpty();
        assertThat(outcome.online()).isTrue();
        assertThat(outcome.deployed())
                .map(Deployed::toString)
                .doesNotContain("rbac.authorization.k8s.io/ClusterRole upstream-reader")
                .contains("apps/Deployment upstream/upstream-controller");
    }

    @Test
    void onlineAnInventoryThatMissesAKindIsAFinding() throws IOException {
        served.put("/releases/v1.0.0/manifest.yaml", MANIFEST);
        serveOnLoopback();
        replace("upstream.yaml", "  - rbac.authorization.k8s.io/ClusterRole\n", "");

        assertThat(lines(outcome()))
                .anySatisfy(line -> assertThat(line)
                        .contains(": -: upstream.yaml: kinds: http://127.0.0.1:")
                        .contains("renders rbac.authorization.k8s.io/ClusterRole, which kinds: does not list"));
    }

    @Test
    void onlineAnObjectThatTheInventoryPromisesButTheManifestLacksIsAFinding() throws IOException {
        served.put("/releases/v1.0.0/manifest.yaml", MANIFEST.replace("name: upstream-settings", "name: settings"));
        serveOnLoopback();

        // kustomize itself refuses a patch whose target is missing: the render fails, and says why.
        assertThat(lines(outcome()))
                .anySatisfy(line ->
                        assertThat(line).contains("(render): kustomize failed:").endsWith("[render]"));
    }

    @Test
    void onlineTheUpstreamObjectsAreHeldToTheRulesForThirdPartyManifests() throws IOException {
        served.put("/releases/v1.0.0/manifest.yaml", MANIFEST.replace("runAsUser: 1001", "runAsUser: 0"));
        serveOnLoopback();

        assertThat(lines(outcome()))
                .anySatisfy(
                        line -> assertThat(line)
                                .isEqualTo(
                                        "gitops/upstream/kustomization.yaml: Deployment"
                                                + " upstream/upstream-controller: spec.template.spec.securityContext.runAsUser: must not be 0 (root) [pod-security]"));
    }

    @Test
    void onlineANamespaceThatTheManifestBringsMustEnforceRestricted() throws IOException {
        // Like CloudNativePG's manifest: the Namespace is upstream's, so our labels can only come from a patch.
        served.put(
                "/releases/v1.0.0/manifest.yaml",
                MANIFEST + "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: upstream\n");
        serveOnLoopback();
        replace("kustomization.yaml", "  - namespace.yaml\n", "");
        replace("upstream.yaml", "kinds:\n", "kinds:\n  - Namespace\n");

        assertThat(lines(outcome()))
                .contains(
                        "gitops/upstream/kustomization.yaml: Namespace upstream:"
                                + " metadata.labels[\"pod-security.kubernetes.io/enforce\"]: required (restricted) [namespace-pod-security]");
    }

    @Test
    void aSourceThatAnswersButHasNoSuchReleaseIsARenderFindingNotOffline() throws IOException {
        serveOnLoopback(); // nothing served: 404

        RemoteUpstreams.Outcome outcome = outcome();

        assertThat(outcome.online()).isFalse();
        assertThat(lines(outcome))
                .anySatisfy(line -> assertThat(line)
                        .startsWith("gitops/upstream/kustomization.yaml: -: (render): kustomize failed: ")
                        .endsWith("[render]"));
    }

    @Test
    void aResolverFailureIsOfflineWhateverKubectlSaysAboutIt() throws IOException {
        // A DNS server that answers SERVFAIL makes kubectl report "server misbehaving", a text no list foresaw; the
        // host still does not resolve, which is what offline means. This kubectl would report exactly that.
        Path bin = Files.createDirectories(repo.resolve("fake-bin"));
        Path kubectl = bin.resolve("kubectl");
        Files.writeString(kubectl, """
                #!/bin/sh
                if [ "$1" = kustomize ] && grep -q upstream.invalid "$2/kustomization.yaml" 2>/dev/null; then
                  echo "error: accumulating resources from 'https://upstream.invalid/releases/v1.0.0/manifest.yaml':" \\
                    "dial tcp: lookup upstream.invalid on 10.0.0.53:53: server misbehaving" >&2
                  exit 1
                fi
                exec kubectl "$@"  # the real one: this folder is only on the PATH the renderer searches
                """);
        assertThat(kubectl.toFile().setExecutable(true)).isTrue();

        RemoteUpstreams.Outcome outcome = new RemoteUpstreams(repo, KustomizeRenderer.locate(bin.toString()))
                .check(folder.resolve("kustomization.yaml"))
                .orElseThrow();

        assertThat(lines(outcome)).isEmpty();
        assertThat(outcome.online()).isFalse();
        assertThat(outcome.deployed()).isNotEmpty();
    }

    @Test
    void aHostIsReachableWhenItsNameResolvesAndItsPortAccepts() throws IOException {
        assertThat(Reachability.reachable(URI.create(SOURCE), Duration.ofSeconds(2)))
                .as("a name that never resolves (RFC 6761)")
                .isFalse();
        try (ServerSocket open = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThat(Reachability.reachable(
                            URI.create("http://127.0.0.1:" + open.getLocalPort() + "/m.yaml"), Duration.ofSeconds(2)))
                    .isTrue();
        }
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        assertThat(Reachability.reachable(URI.create("http://127.0.0.1:" + closed + "/m.yaml"), Duration.ofSeconds(2)))
                .as("a port nothing listens on")
                .isFalse();
        assertThat(Reachability.reachable(URI.create("file:/tmp/m.yaml"), Duration.ofSeconds(2)))
                .as("no host")
                .isFalse();
    }
}
