package dev.usersapi.policy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * charts/users-api driven by Helm's own code (helm-java: Helm's Go library loaded through JNA), the way
 * {@code helm lint} and {@code helm template} run it; nothing of Helm is re-implemented here.
 */
final class HelmChart {

    /** The release name the chart is documented with; it becomes the instance label, as the overlays set it. */
    static final String RELEASE = "users-api";

    private HelmChart() {}

    static Path folder() {
        Path chart = TestRepository.root().resolve("charts/users-api");
        if (!Files.isRegularFile(chart.resolve("Chart.yaml"))) {
            throw new IllegalStateException("no chart at " + chart);
        }
        return chart;
    }

    /** {@code helm template users-api charts/users-api -n NAMESPACE [-f VALUES]}: the rendered YAML, or Helm's error as an exception. */
    static String templateYaml(String namespace, Path valuesFile) {
        var template = new Helm(folder()).template().withName(RELEASE).withNamespace(namespace);
        if (valuesFile != null) {
            template = template.withValuesFile(valuesFile);
        }
        return template.call();
    }

    /** The objects {@code helm template} renders with one of the chart's values files (null: values.yaml alone). */
    static List<KubeObject> template(String namespace, String valuesFileName) {
        Path values = valuesFileName == null ? null : folder().resolve(valuesFileName);
        return YamlDocuments.parse(templateYaml(namespace, values)).stream()
                .filter(e -> e.isJsonObject())
                .map(e -> new KubeObject(e.getAsJsonObject()))
                .toList();
    }

    /** {@code helm lint --strict}: warnings fail too. */
    static LintResult lint() {
        return new Helm(folder()).lint().strict().call();
    }
}
