package dev.usersapi.policy;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.Optional;

/**
 * The service's pods stop without failing a request: a native preStop {@code sleep} (the image has no shell) keeps
 * the pod serving until its endpoint is gone everywhere, then the service drains for USERS_API_DRAIN_SECONDS (read
 * from the render: env or ConfigMap), then shuts down; terminationGracePeriodSeconds must cover all of it plus
 * {@link PolicyConfig#SHUTDOWN_MARGIN_SECONDS}, or the kubelet kills the pod mid-drain.
 * Applies to every container of the service's image and to any container that sets the drain variable.
 */
public final class GracefulShutdownCheck implements Check {

    @Override
    public Rule rule() {
        return Rule.GRACEFUL_SHUTDOWN;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        for (PodTemplate pod : PodTemplate.in(render)) {
            for (PodTemplate.Container c : pod.containers()) {
                boolean service = PolicyConfig.SERVICE_NAME.equals(pod.labels().get("app.kubernetes.io/name"));
                Optional<EnvResolver.Value> drain =
                        EnvResolver.resolve(render, pod.namespace(), c, PolicyConfig.DRAIN_ENV);
                if (!service && drain.isEmpty() && !EnvResolver.names(c).contains(PolicyConfig.DRAIN_ENV)) {
                    continue;
                }
                check(pod, c, drain, findings);
            }
        }
    }

    private void check(PodTemplate pod, PodTemplate.Container c, Optional<EnvResolver.Value> drain, Findings findings) {
        KubeObject o = pod.owner();
        if (drain.isEmpty()) {
            findings.add(
                    o,
                    c.field("env"),
                    PolicyConfig.DRAIN_ENV + " must be set in the render (env, or a ConfigMap in it)"
                            + " so the grace period can be sized from it");
            return;
        }
        long drainSeconds;
        try {
            drainSeconds = Long.parseLong(drain.get().value().strip());
        } catch (NumberFormatException e) {
            findings.add(
                    o,
                    c.field("env"),
                    PolicyConfig.DRAIN_ENV + " from " + drain.get().source() + " is not a number of seconds: "
                            + drain.get().value());
            return;
        }
        JsonObject preStop = Json.object(c.body(), "lifecycle", "preStop").orElseGet(JsonObject::new);
        if (preStop.has("exec")) {
            findings.add(
                    o, c.field("lifecycle.preStop.exec"), "the image has no shell: use the kubelet's sleep action");
            return;
        }
        Optional<Long> sleep = Json.integer(preStop, "sleep", "seconds");
        if (sleep.isEmpty()) {
            findings.add(
                    o,
                    c.field("lifecycle.preStop.sleep.seconds"),
                    "required: sleep until the endpoint removal has reached every proxy, before SIGTERM starts the drain");
            return;
        }
        long grace = Json.integer(pod.spec(), "terminationGracePeriodSeconds")
                .orElse((long) PolicyConfig.DEFAULT_GRACE_SECONDS);
        long needed = sleep.get() + drainSeconds + PolicyConfig.SHUTDOWN_MARGIN_SECONDS;
        if (grace < needed) {
            findings.add(
                    o,
                    pod.field("terminationGracePeriodSeconds"),
                    grace + " s is shorter than preStop sleep " + sleep.get()
                            + " s + " + PolicyConfig.DRAIN_ENV + " " + drainSeconds + " s (from "
                            + drain.get().source() + ") + margin "
                            + PolicyConfig.SHUTDOWN_MARGIN_SECONDS + " s = " + needed + " s");
        }
    }
}
