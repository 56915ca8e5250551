package dev.usersapi.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.policy.Json;
import dev.usersapi.policy.KubeObject;
import dev.usersapi.policy.KustomizeRenderer;
import dev.usersapi.policy.YamlDocuments;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The repository whose scripts are under test, and what its overlays render to. */
final class TestRepository {

    private TestRepository() {}

    static Path root() {
        String configured = System.getProperty("scripts.repository.root");
        Path start = Path.of(configured != null ? configured : System.getProperty("user.dir"))
                .toAbsolutePath()
                .normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts-test/pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (with scripts-test/pom.xml) at or above " + start);
    }

    /** The service image's name, as scripts/lib/image-name.sh reads it from its one definition (base/kustomization.yaml). */
    static String serviceImage() {
        ScriptRun run = ScriptRun.run(root(), "scripts/lib/image-name.sh");
        if (run.exit() != 0) {
            throw new IllegalStateException("scripts/lib/image-name.sh failed: " + run.err());
        }
        return run.out().strip();
    }

    /** overlays/ENV of {@code repository}, rendered by kustomize; fails the test when it does not render. */
    static List<KubeObject> overlay(Path repository, String env) {
        KustomizeRenderer.Outcome outcome = KustomizeRenderer.shared().render(repository.resolve("overlays/" + env));
        assertThat(outcome.ok()).as(outcome.error()).isTrue();
        return YamlDocuments.parse(outcome.yaml()).stream()
                .map(e -> new KubeObject(e.getAsJsonObject()))
                .toList();
    }

    /** The image of the service's container in a rendered overlay (its one Deployment). */
    static String deployedImage(List<KubeObject> rendered) {
        List<KubeObject> deployments =
                rendered.stream().filter(o -> o.is("Deployment")).toList();
        assertThat(deployments).as("Deployments").hasSize(1);
        return Json.string(
                        Json.objects(deployments.get(0).body(), "spec", "template", "spec", "containers")
                                .get(0),
                        "image")
                .orElseThrow();
    }
}
