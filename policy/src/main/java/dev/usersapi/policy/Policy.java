package dev.usersapi.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Renders kustomizations and holds every object to every rule. Tests call {@link #check(List)}; {@link #main} runs the
 * same over a repository and prints one line per finding.
 */
public final class Policy {

    /** Every rule but rendering (which is a precondition) and the file scan of {@link PlaintextSecrets#scanFiles}. */
    public static final List<Check> CHECKS = List.of(
            new SchemaCheck(),
            new PodSecurityCheck(),
            new ContainerHardeningCheck(),
            new ImagePinningCheck(),
            new ReferencesCheck(),
            new ConfigReferencesCheck(),
            new NetworkDefaultDenyCheck(),
            new NamespacePodSecurityCheck(),
            new GracefulShutdownCheck(),
            new IngressPublicOnlyCheck(),
            new AutoscalingCheck(),
            new DatabaseClusterCheck(),
            new PlaintextSecrets());

    public record Result(List<Render> renders, List<Finding> findings) {}

    private final Path repository;
    private final KustomizeRenderer renderer;
    private final RemoteUpstreams remoteUpstreams;

    public Policy(Path repository, KustomizeRenderer renderer) {
        this.repository = repository.toAbsolutePath().normalize();
        this.renderer = renderer;
        this.remoteUpstreams = new RemoteUpstreams(this.repository, renderer);
    }

    /** {@link #CHECKS} plus the rules that need the repository itself: Applications' paths are resolved against it. */
    private List<Check> checks() {
        List<Check> checks = new ArrayList<>(CHECKS);
        checks.add(new ApplicationProjectCheck(repository, renderer, remoteUpstreams));
        checks.add(new FirstSyncSecretsCheck(repository, renderer));
        return checks;
    }

    /** Renders each kustomization file's folder and checks all of them together. */
    public Result check(List<Path> kustomizationFiles) {
        List<Finding> findings = new ArrayList<>();
        List<Render> renders = new ArrayList<>();
        for (Path file : kustomizationFiles) {
            String relative =
                    repository.relativize(file.toAbsolutePath().normalize()).toString();
            // A remote-only kustomization (pinned upstream manifest) is checked online or offline by RemoteUpstreams.
            Optional<RemoteUpstreams.Outcome> remote = remoteUpstreams.check(file);
            if (remote.isPresent()) {
                findings.addAll(remote.get().findings());
                remote.get().own().ifPresent(renders::add);
                continue;
            }
            KustomizeRenderer.Outcome outcome =
                    renderer.render(Objects.requireNonNull(file.toAbsolutePath().getParent()));
            Findings rendering = new Findings(relative, Rule.RENDER, findings);
            if (!outcome.ok()) {
                rendering.add(null, "(render)", "kustomize failed: " + outcome.error());
                continue;
            }
            List<KubeObject> objects;
            try {
                objects = YamlDocuments.objects(outcome.yaml());
            } catch (RuntimeException e) {
                rendering.add(null, "(render)", "the output is not YAML: " + e.getMessage());
                continue;
            }
            if (objects.isEmpty()) {
                rendering.add(null, "(render)", "renders no object");
            }
            renders.add(new Render(relative, objects));
        }
        List<Check> checks = checks();
        for (Render render : renders) {
            for (Check check : checks) {
                check.check(render, renders, new Findings(render.file(), check.rule(), findings));
            }
        }
        return new Result(renders, findings);
    }

    /** {@code java dev.usersapi.policy.Policy [REPOSITORY]}: prints each finding; exits 1 if there is any. */
    public static void main(String[] args) {
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-"))) {
            System.err.println("usage: java -cp <policy classpath> dev.usersapi.policy.Policy [REPOSITORY_ROOT]");
            System.exit(2);
        }
        Path repository =
                Path.of(args.length == 1 ? args[0] : ".").toAbsolutePath().normalize();
        List<Path> files = Kustomizations.discover(repository, Kustomizations.REPOSITORY_ROOTS);
        Result result = new Policy(repository, KustomizeRenderer.shared()).check(files);
        List<Finding> findings = new ArrayList<>(result.findings());
        findings.addAll(PlaintextSecrets.scanFiles(repository));
        findings.forEach(System.out::println);
        System.out.println("policy: " + files.size() + " kustomizations, "
                + result.renders().stream().mapToInt(r -> r.objects().size()).sum() + " objects, " + findings.size()
                + " findings");
        System.exit(findings.isEmpty() ? 0 : 1);
    }
}
