package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pod template inside a workload (or a bare Pod), with the field path to it so findings can name the field.
 *
 * @param owner the workload
 * @param path  the path of the template, e.g. {@code spec.template}; empty for a Pod
 */
public record PodTemplate(KubeObject owner, String path, JsonObject template) {

    /** Workloads whose pods run until stopped: they need liveness and readiness probes. */
    private static final Set<String> LONG_RUNNING =
            Set.of("Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController");

    /** A container of the template, with its path. */
    public record Container(String path, String kind, JsonObject body) {
        public String name() {
            return Json.string(body, "name").orElse("");
        }

        public String field(String sub) {
            return path + "." + sub;
        }
    }

    /** Every pod template of a render: Pods, the workload controllers, Jobs and CronJobs, PodTemplates. */
    public static List<PodTemplate> in(Render render) {
        List<PodTemplate> result = new ArrayList<>();
        for (KubeObject o : render.objects()) {
            if (!o.group().isEmpty() && !Set.of("apps", "batch").contains(o.group())) {
                continue; // a custom resource with a field named "template" is not a pod
            }
            switch (o.kind()) {
                case "Pod" -> result.add(new PodTemplate(o, "", o.body()));
                case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job" ->
                    Json.object(o.body(), "spec", "template")
                            .ifPresent(t -> result.add(new PodTemplate(o, "spec.template", t)));
                case "CronJob" ->
                    Json.object(o.body(), "spec", "jobTemplate", "spec", "template")
                            .ifPresent(t -> result.add(new PodTemplate(o, "spec.jobTemplate.spec.template", t)));
                case "PodTemplate" ->
                    Json.object(o.body(), "template").ifPresent(t -> result.add(new PodTemplate(o, "template", t)));
                default -> {}
            }
        }
        return result;
    }

    public JsonObject spec() {
        return Json.object(template, "spec").orElseGet(JsonObject::new);
    }

    public Map<String, String> labels() {
        return Json.stringMap(template, "metadata", "labels");
    }

    public Map<String, String> annotations() {
        return Json.stringMap(template, "metadata", "annotations");
    }

    public String namespace() {
        return owner.namespace();
    }

    /** {@code spec.template.spec.<sub>}, or {@code spec.<sub>} for a Pod. */
    public String field(String sub) {
        return (path.isEmpty() ? "" : path + ".") + "spec" + (sub.isEmpty() ? "" : "." + sub);
    }

    public boolean longRunning() {
        return LONG_RUNNING.contains(owner.kind());
    }

    public List<Container> containers() {
        return list("containers");
    }

    /** Main, init and ephemeral containers: everything that runs in the pod. */
    public List<Container> allContainers() {
        return list("containers", "initContainers", "ephemeralContainers");
    }

    /** Main and init containers: the ones that can carry resources. */
    public List<Container> containersAndInit() {
        return list("containers", "initContainers");
    }

    private List<Container> list(String... kinds) {
        List<Container> result = new ArrayList<>();
        for (String kind : kinds) {
            List<JsonObject> items = Json.objects(spec(), kind);
            for (int i = 0; i < items.size(); i++) {
                String name = Json.string(items.get(i), "name").orElse(String.valueOf(i));
                result.add(new Container(field(kind) + "[" + name + "]", kind, items.get(i)));
            }
        }
        return result;
    }
}
