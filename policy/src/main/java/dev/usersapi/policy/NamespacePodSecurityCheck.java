package dev.usersapi.policy;

import java.util.List;
import java.util.Map;

/**
 * Every Namespace object enforces, audits and warns the Pod Security Standard {@code restricted}, unless it carries
 * a written reason ({@link PolicyConfig#POD_SECURITY_EXCEPTION}) for a weaker level.
 */
public final class NamespacePodSecurityCheck implements Check {

    private static final String LABEL = "pod-security.kubernetes.io/";
    private static final int MIN_REASON_LENGTH = 20;

    @Override
    public Rule rule() {
        return Rule.NAMESPACE_POD_SECURITY;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        render.ofKind("Namespace").forEach(ns -> {
            Map<String, String> labels = Json.stringMap(ns.metadata(), "labels");
            String reason = Json.stringMap(ns.metadata(), "annotations")
                    .getOrDefault(PolicyConfig.POD_SECURITY_EXCEPTION, "")
                    .strip();
            boolean excepted = reason.length() >= MIN_REASON_LENGTH;
            if (!reason.isEmpty() && !excepted) {
                findings.add(
                        ns,
                        "metadata.annotations[\"" + PolicyConfig.POD_SECURITY_EXCEPTION + "\"]",
                        "the reason must say why (at least " + MIN_REASON_LENGTH + " characters)");
            }
            for (String mode : List.of("enforce", "audit", "warn")) {
                String level = labels.getOrDefault(LABEL + mode, "");
                if (level.isEmpty()) {
                    findings.add(ns, "metadata.labels[\"" + LABEL + mode + "\"]", "required (restricted)");
                } else if (!level.equals("restricted") && !excepted) {
                    findings.add(
                            ns,
                            "metadata.labels[\"" + LABEL + mode + "\"]",
                            "must be restricted, not " + level + " (or give the reason in "
                                    + PolicyConfig.POD_SECURITY_EXCEPTION + ")");
                }
            }
        });
    }
}
