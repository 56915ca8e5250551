package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Rule 3: the Pod Security Standard {@code restricted} (which includes {@code baseline}) for every pod template, as
 * Pod Security Admission evaluates it (policy version 1.34, Linux pods).
 */
public final class PodSecurityCheck implements Check {

    private static final Set<String> RESTRICTED_VOLUMES = Set.of(
            "configMap",
            "csi",
            "downwardAPI",
            "emptyDir",
            "ephemeral",
            "image",
            "persistentVolumeClaim",
            "projected",
            "secret");
    private static final Set<String> SAFE_SYSCTLS = Set.of(
            "kernel.shm_rmid_forced",
            "net.ipv4.ip_local_port_range",
            "net.ipv4.ip_unprivileged_port_start",
            "net.ipv4.tcp_syncookies",
            "net.ipv4.ping_group_range",
            "net.ipv4.ip_local_reserved_ports",
            "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes");
    private static final Set<String> SELINUX_TYPES =
            Set.of("container_t", "container_init_t", "container_kvm_t", "container_engine_t");
    private static final String APPARMOR_ANNOTATION = "container.apparmor.security.beta.kubernetes.io/";

    @Override
    public Rule rule() {
        return Rule.POD_SECURITY;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        for (PodTemplate pod : PodTemplate.in(render)) {
            checkPod(pod, findings);
            for (PodTemplate.Container c : pod.allContainers()) {
                checkContainer(pod, c, findings);
            }
        }
    }

    private void checkPod(PodTemplate pod, Findings findings) {
        KubeObject o = pod.owner();
        JsonObject spec = pod.spec();
        for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
            if (Json.bool(spec, host).orElse(false)) {
                findings.add(o, pod.field(host), "must not be true (host namespaces)");
            }
        }
        List<JsonObject> volumes = Json.objects(spec, "volumes");
        for (JsonObject volume : volumes) {
            String name = Json.string(volume, "name").orElse("?");
            for (String type : volume.keySet()) {
                if (!type.equals("name") && !RESTRICTED_VOLUMES.contains(type)) {
                    findings.add(
                            o,
                            pod.field("volumes[" + name + "]." + type),
                            "volume type " + type + " is not allowed (restricted allows "
                                    + String.join(
                                            ", ",
                                            RESTRICTED_VOLUMES.stream().sorted().toList()) + ")");
                }
            }
        }
        JsonObject psc = Json.object(spec, "securityContext").orElseGet(JsonObject::new);
        for (JsonObject sysctl : Json.objects(psc, "sysctls")) {
            String name = Json.string(sysctl, "name").orElse("");
            if (!SAFE_SYSCTLS.contains(name)) {
                findings.add(o, pod.field("securityContext.sysctls[" + name + "]"), "sysctl is not in the safe set");
            }
        }
        commonSecurityContext(o, pod.field("securityContext"), psc, findings);
        pod.annotations().forEach((key, value) -> {
            if (key.startsWith(APPARMOR_ANNOTATION)
                    && !value.equals("runtime/default")
                    && !value.startsWith("localhost/")) {
                findings.add(
                        o,
                        pod.path() + ".metadata.annotations[\"" + key + "\"]",
                        "AppArmor profile must be runtime/default or localhost/*");
            }
        });

        // Restricted: a pod-level setting covers every container that does not override it.
        boolean podNonRoot = Json.bool(psc, "runAsNonRoot").orElse(false);
        Optional<String> podSeccomp = Json.string(psc, "seccompProfile", "type");
        for (PodTemplate.Container c : pod.allContainers()) {
            JsonObject csc = Json.object(c.body(), "securityContext").orElseGet(JsonObject::new);
            Optional<Boolean> nonRoot = Json.bool(csc, "runAsNonRoot");
            if (nonRoot.isPresent() ? !nonRoot.get() : !podNonRoot) {
                findings.add(
                        o,
                        nonRoot.isPresent()
                                ? c.field("securityContext.runAsNonRoot")
                                : pod.field("securityContext.runAsNonRoot"),
                        "must be true (for the pod, or for container " + c.name() + ")");
            }
            if (Json.string(csc, "seccompProfile", "type").isEmpty() && podSeccomp.isEmpty()) {
                findings.add(
                        o,
                        pod.field("securityContext.seccompProfile.type"),
                        "must be RuntimeDefault or Localhost (for the pod, or for container " + c.name() + ")");
            }
        }
    }

    private void checkContainer(PodTemplate pod, PodTemplate.Container c, Findings findings) {
        KubeObject o = pod.owner();
        JsonObject sc = Json.object(c.body(), "securityContext").orElseGet(JsonObject::new);
        String at = c.field("securityContext");
        commonSecurityContext(o, at, sc, findings);
        if (Json.bool(sc, "privileged").orElse(false)) {
            findings.add(o, at + ".privileged", "must not be true");
        }
        if (!Json.bool(sc, "allowPrivilegeEscalation").filter(b -> !b).isPresent()) {
            findings.add(o, at + ".allowPrivilegeEscalation", "must be set to false");
        }
        if (!Json.strings(sc, "capabilities", "drop").contains("ALL")) {
            findings.add(o, at + ".capabilities.drop", "must include ALL");
        }
        for (String added : Json.strings(sc, "capabilities", "add")) {
            if (!added.equals("NET_BIND_SERVICE")) {
                findings.add(o, at + ".capabilities.add", "may only add NET_BIND_SERVICE, not " + added);
            }
        }
        Json.string(sc, "procMount")
                .filter(p -> !p.equals("Default"))
                .ifPresent(p -> findings.add(o, at + ".procMount", "must be Default"));
        for (JsonObject port : Json.objects(c.body(), "ports")) {
            if (Json.integer(port, "hostPort").orElse(0L) != 0) {
                findings.add(
                        o,
                        c.field("ports["
                                + Json.string(port, "name")
                                        .orElse(String.valueOf(Json.integer(port, "containerPort")
                                                .orElse(0L)))
                                + "].hostPort"),
                        "host ports are not allowed");
            }
        }
    }

    /** Checks shared by the pod's and a container's securityContext. */
    private void commonSecurityContext(KubeObject o, String at, JsonObject sc, Findings findings) {
        if (Json.bool(sc, "windowsOptions", "hostProcess").orElse(false)) {
            findings.add(o, at + ".windowsOptions.hostProcess", "must not be true");
        }
        if (Json.integer(sc, "runAsUser").filter(uid -> uid == 0).isPresent()) {
            findings.add(o, at + ".runAsUser", "must not be 0 (root)");
        }
        for (String profile : List.of("seccompProfile", "appArmorProfile")) {
            Json.string(sc, profile, "type")
                    .filter(t -> !t.equals("RuntimeDefault") && !t.equals("Localhost"))
                    .ifPresent(t -> findings.add(
                            o, at + "." + profile + ".type", "must be RuntimeDefault or Localhost, not " + t));
        }
        Json.object(sc, "seLinuxOptions").ifPresent(se -> {
            Json.string(se, "type")
                    .filter(t -> !t.isEmpty() && !SELINUX_TYPES.contains(t))
                    .ifPresent(
                            t -> findings.add(o, at + ".seLinuxOptions.type", "SELinux type " + t + " is not allowed"));
            for (String forbidden : List.of("user", "role")) {
                Json.string(se, forbidden)
                        .filter(v -> !v.isEmpty())
                        .ifPresent(v -> findings.add(o, at + ".seLinuxOptions." + forbidden, "must not be set"));
            }
        });
    }
}
