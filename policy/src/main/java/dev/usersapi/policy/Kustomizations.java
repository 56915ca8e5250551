package dev.usersapi.policy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Finds the kustomizations to render: every folder with a kustomization file under the given roots. */
public final class Kustomizations {

    /** The folders of the repository that hold manifests; later issues add theirs here without editing the policy. */
    public static final List<String> REPOSITORY_ROOTS = List.of("base", "overlays", "monitoring", "gitops");

    static final List<String> FILE_NAMES = List.of("kustomization.yaml", "kustomization.yml", "Kustomization");
    private static final Set<String> SKIPPED_FOLDERS = Set.of("target", "node_modules");

    private Kustomizations() {}

    /**
     * The kustomization files below {@code repository/root} for each root that exists, sorted. Components
     * ({@code kind: Component}) are left out: they only render as part of a kustomization that uses them.
     */
    public static List<Path> discover(Path repository, List<String> roots) {
        return roots.stream()
                .map(repository::resolve)
                .filter(Files::isDirectory)
                .flatMap(Kustomizations::walk)
                .filter(file -> !isComponent(file))
                .sorted()
                .toList();
    }

    /** The kustomization file of a folder, if it has one. */
    public static Optional<Path> fileIn(Path folder) {
        return FILE_NAMES.stream()
                .map(folder::resolve)
                .filter(Files::isRegularFile)
                .findFirst();
    }

    private static Stream<Path> walk(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths
                    .filter(Files::isDirectory)
                    .filter(dir -> root.relativize(dir).toString().isEmpty() || !skipped(root.relativize(dir)))
                    .map(Kustomizations::fileIn)
                    .flatMap(Optional::stream)
                    .toList()
                    .stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static boolean skipped(Path relative) {
        for (Path part : relative) {
            String name = part.toString();
            if (name.startsWith(".") || SKIPPED_FOLDERS.contains(name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isComponent(Path file) {
        try {
            return YamlDocuments.parse(Files.readString(file)).stream()
                    .anyMatch(doc ->
                            Json.string(doc, "kind").filter("Component"::equals).isPresent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (RuntimeException unparsable) {
            return false; // rendering reports it, with kustomize's own message
        }
    }
}
