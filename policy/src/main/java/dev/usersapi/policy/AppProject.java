package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/** What an Argo CD AppProject permits, read as Argo CD reads it (globs in repositories, destinations and kinds). */
public record AppProject(KubeObject object) {

    /** One entry of a whitelist or blacklist: {@code group} and {@code kind}, each possibly a glob. */
    public record KindRule(int index, String group, String kind) {
        boolean matches(GroupKind k) {
            return glob(group).matcher(k.group()).matches()
                    && glob(kind).matcher(k.kind()).matches();
        }

        boolean wildcard() {
            return group.contains("*") || kind.contains("*");
        }

        @Override
        public String toString() {
            return group.isEmpty() ? kind : group + "/" + kind;
        }
    }

    /** One allowed destination: a server (or cluster name) and a namespace, each possibly a glob. */
    public record Destination(int index, String server, String name, String namespace) {
        boolean matches(String appServer, String appName, String ns) {
            boolean cluster = !server.isEmpty()
                    ? !appServer.isEmpty() && glob(server).matcher(appServer).matches()
                    : !name.isEmpty()
                            && !appName.isEmpty()
                            && glob(name).matcher(appName).matches();
            return cluster && glob(namespace).matcher(ns).matches();
        }

        boolean wildcard() {
            return namespace.contains("*") || server.contains("*") || name.contains("*");
        }

        @Override
        public String toString() {
            return (server.isEmpty() ? name : server) + " " + namespace;
        }
    }

    public String name() {
        return object.name();
    }

    public List<String> sourceRepos() {
        return Json.strings(object.spec(), "sourceRepos");
    }

    /** The sourceRepos entries that trust {@code repoURL}; none means the project does not trust it. */
    public List<String> reposTrusting(String repoURL) {
        return sourceRepos().stream()
                .filter(p -> glob(Repositories.normalize(p))
                        .matcher(Repositories.normalize(repoURL))
                        .matches())
                .toList();
    }

    public List<Destination> destinations() {
        List<JsonObject> list = Json.objects(object.spec(), "destinations");
        return IntStream.range(0, list.size())
                .mapToObj(i -> new Destination(
                        i,
                        Json.string(list.get(i), "server").orElse(""),
                        Json.string(list.get(i), "name").orElse(""),
                        Json.string(list.get(i), "namespace").orElse("")))
                .toList();
    }

    public Optional<Destination> destinationFor(String server, String clusterName, String namespace) {
        return destinations().stream()
                .filter(d -> d.matches(server, clusterName, namespace))
                .findFirst();
    }

    public List<KindRule> kinds(String field) {
        List<JsonObject> list = Json.objects(object.spec(), field);
        return IntStream.range(0, list.size())
                .mapToObj(i -> new KindRule(
                        i,
                        Json.string(list.get(i), "group").orElse(""),
                        Json.string(list.get(i), "kind").orElse("")))
                .toList();
    }

    /** Whether the project says anything about namespaced kinds; Argo CD allows every one when it does not. */
    public boolean hasNamespaceWhitelist() {
        return Json.at(object.spec(), "namespaceResourceWhitelist").isPresent();
    }

    /** Argo CD's rule: a cluster-scoped kind must be whitelisted; a namespaced one must be, if there is a whitelist. */
    public boolean allows(GroupKind kind, boolean namespaced) {
        String white = namespaced ? "namespaceResourceWhitelist" : "clusterResourceWhitelist";
        String black = namespaced ? "namespaceResourceBlacklist" : "clusterResourceBlacklist";
        boolean listed =
                kinds(white).stream().anyMatch(r -> r.matches(kind)) || (namespaced && !hasNamespaceWhitelist());
        return listed && kinds(black).stream().noneMatch(r -> r.matches(kind));
    }

    /** An Argo CD glob: {@code *} for any run of characters, {@code ?} for one; everything else literal. */
    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
