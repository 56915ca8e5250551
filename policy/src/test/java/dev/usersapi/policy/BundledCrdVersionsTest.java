package dev.usersapi.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import dev.usersapi.policy.schema.CustomResourceSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bundled schemas of kinds installed from outside the repository follow the releases gitops/ pins: a version bump
 * without a new schema fails here, and the own Sealed Secrets schema is held to upstream's CRD field by field.
 */
class BundledCrdVersionsTest {

    private static final Pattern VERSION_LINE = Pattern.compile("(?m)^# version: (v\\d+\\.\\d+\\.\\d+)$");
    private static final Pattern SOURCE_LINE = Pattern.compile("(?m)^# source: (\\S+)$");
    private static final Pattern MINOR = Pattern.compile("v\\d+\\.\\d+");

    @ParameterizedTest
    @ValueSource(strings = {"application-crd.yaml", "appproject-crd.yaml"})
    void theArgoCdCrdsAreUpstreamsFilesOfThePinnedMinorRelease(String upstreamName) {
        String bundled = resource(
                upstreamName.startsWith("application")
                        ? "/crds/argoproj.io_applications.yaml"
                        : "/crds/argoproj.io_appprojects.yaml");
        String version = headerLine(bundled, VERSION_LINE);
        String pinned = pinned("gitops/argocd");

        // No Argo CD patch release of 3.0 to 3.5 changed these files, so a CRD of the pinned minor release is its own.
        assertThat(minor(version))
                .as(
                        "the bundled %s is of %s, gitops/argocd pins %s: bundle the pinned release's file",
                        upstreamName, version, pinned)
                .isEqualTo(minor(pinned));
        assertThat(headerLine(bundled, SOURCE_LINE))
                .isEqualTo("https://raw.githubusercontent.com/argoproj/argo-cd/" + version + "/manifests/crds/"
                        + upstreamName);
    }

    @Test
    void theSealedSecretsSchemaDescribesThePinnedRelease() {
        assertThat(headerLine(resource("/crds/bitnami.com_sealedsecrets.yaml"), VERSION_LINE))
                .as("gitops/sealed-secrets pins another release: check its CRD and update the schema and its version")
                .isEqualTo(pinned("gitops/sealed-secrets"));
    }

    @Test
    void theSealedSecretsSchemaHasUpstreamsSpecFieldsTypesAndRequiredFields() {
        JsonObject ours = CustomResourceSchemas.bundledDefinitions().get("bitnami.com_sealedsecrets.yaml");
        String upstreamText = resource("/upstream-crds/bitnami.com_sealedsecrets.yaml");
        JsonObject upstream = YamlDocuments.soleMapping(upstreamText).orElseThrow();
        assertThat(headerLine(upstreamText, SOURCE_LINE)).contains(headerLine(upstreamText, VERSION_LINE));

        assertThat(specFields(ours))
                .as(
                        "spec of the bundled SealedSecret schema against upstream's CRD %s",
                        headerLine(upstreamText, VERSION_LINE))
                .isEqualTo(specFields(upstream))
                .isNotEmpty();
    }

    /** Each field under spec (of the first served version) with its type and required children. */
    private static Map<String, String> specFields(JsonObject crd) {
        JsonObject schema = Json.objects(crd, "spec", "versions").get(0);
        Map<String, String> fields = new TreeMap<>();
        Json.object(schema, "schema", "openAPIV3Schema", "properties", "spec")
                .ifPresent(spec -> walk(spec, "spec", fields));
        return fields;
    }

    private static void walk(JsonObject schema, String path, Map<String, String> fields) {
        fields.put(path, Json.string(schema, "type").orElse("") + " required" + Json.array(schema, "required"));
        Json.object(schema, "properties")
                .ifPresent(properties -> properties
                        .entrySet()
                        .forEach(e -> walk(e.getValue().getAsJsonObject(), path + "." + e.getKey(), fields)));
        Json.object(schema, "items").ifPresent(items -> walk(items, path + "[]", fields));
        Json.object(schema, "additionalProperties").ifPresent(values -> walk(values, path + "{}", fields));
    }

    private static String pinned(String folder) {
        RemoteUpstream upstream =
                RemoteUpstream.read(TestRepository.root().resolve(folder).resolve("kustomization.yaml"));
        assertThat(upstream.problems()).isEmpty();
        return upstream.version();
    }

    private static String minor(String version) {
        Matcher m = MINOR.matcher(version);
        assertThat(m.lookingAt()).as("a release like v1.2.3: %s", version).isTrue();
        return m.group();
    }

    private static String headerLine(String text, Pattern line) {
        Matcher m = line.matcher(text);
        assertThat(m.find()).as("a header line %s", line).isTrue();
        return m.group(1);
    }

    private static String resource(String name) {
        try (InputStream in = BundledCrdVersionsTest.class.getResourceAsStream(name)) {
            assertThat(in).as("%s on the test classpath", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
