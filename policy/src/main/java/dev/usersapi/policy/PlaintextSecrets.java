package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Rule 5: no Secret with data in git. Base64 is not encryption: a Secret's data belongs in a SealedSecret or in the
 * cluster. Checked on every render (which catches secretGenerator too) and on every YAML file of the repository
 * (which catches a Secret no kustomization uses). A file may hold a Secret with fake data only as a marked fixture
 * under {@link PolicyConfig#FIXTURE_FOLDER}; a render is never exempt, so the fixture still fails when rendered.
 */
public final class PlaintextSecrets implements Check {

    private static final Set<String> SKIPPED_FOLDERS = Set.of(".git", "target", "node_modules");

    @Override
    public Rule rule() {
        return Rule.PLAINTEXT_SECRET;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        render.ofKind("Secret").forEach(secret -> inspect(secret, false, findings));
    }

    /** Every plaintext Secret in the YAML files below the repository root. */
    public static List<Finding> scanFiles(Path repository) {
        List<Finding> sink = new ArrayList<>();
        for (Path file : yamlFiles(repository)) {
            String relative = repository.relativize(file).toString();
            List<KubeObject> objects;
            try {
                objects = YamlDocuments.objects(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            } catch (RuntimeException notYaml) {
                continue; // templates and invalid-YAML fixtures; yamllint covers the real files
            }
            Findings findings = new Findings(relative, Rule.PLAINTEXT_SECRET, sink);
            boolean fixtureFile = relative.startsWith(PolicyConfig.FIXTURE_FOLDER);
            objects.stream()
                    .filter(o -> o.is("Secret"))
                    .forEach(s -> new PlaintextSecrets().inspect(s, fixtureFile, findings));
        }
        return sink;
    }

    /** {@code inFixtureFolder}: the file lies where marked fixtures may; a render never exempts anything. */
    private void inspect(KubeObject secret, boolean inFixtureFolder, Findings findings) {
        if (!secret.group().isEmpty()) {
            return;
        }
        if (inFixtureFolder
                && "true"
                        .equals(Json.stringMap(secret.metadata(), "annotations").get(PolicyConfig.PLAINTEXT_FIXTURE))) {
            return;
        }
        for (String field : List.of("data", "stringData")) {
            JsonObject data = Json.object(secret.body(), field).orElseGet(JsonObject::new);
            if (!data.isEmpty()) {
                findings.add(
                        secret,
                        field,
                        "a Secret with data in git is plaintext (base64 is no encryption): seal it, or create it"
                                + " in the cluster and list it in " + PolicyConfig.CLUSTER_PROVIDED_SECRETS
                                + " where it is used");
            }
        }
    }

    private static List<Path> yamlFiles(Path repository) {
        try (Stream<Path> paths = Files.walk(repository)) {
            return paths.filter(p -> {
                        for (Path part : repository.relativize(p)) {
                            if (SKIPPED_FOLDERS.contains(part.toString())) {
                                return false;
                            }
                        }
                        String name = String.valueOf(p.getFileName());
                        return Files.isRegularFile(p) && (name.endsWith(".yaml") || name.endsWith(".yml"));
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + repository, e);
        }
    }
}
