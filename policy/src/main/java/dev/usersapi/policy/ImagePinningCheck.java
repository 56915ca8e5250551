package dev.usersapi.policy;

import java.util.List;

/**
 * Rule 3, images: every container names a version tag or a digest, never {@code latest} or nothing; in production
 * namespaces ({@link PolicyConfig#DIGEST_ONLY_NAMESPACES}) only a sha256 digest, so what runs is what CI built.
 */
public final class ImagePinningCheck implements Check {

    @Override
    public Rule rule() {
        return Rule.IMAGE_PINNING;
    }

    @Override
    public void check(Render render, List<Render> all, Findings findings) {
        for (PodTemplate pod : PodTemplate.in(render)) {
            for (PodTemplate.Container c : pod.allContainers()) {
                String image = Json.string(c.body(), "image").orElse("");
                String field = c.field("image");
                if (image.isEmpty()) {
                    findings.add(pod.owner(), field, "required");
                    continue;
                }
                ImageReference ref = ImageReference.parse(image);
                if (ref.digest().isPresent() && !ref.validDigest()) {
                    findings.add(
                            pod.owner(),
                            field,
                            "'" + image + "': the digest must be sha256: and 64 lower-case hex digits");
                } else if (ref.tag().filter("latest"::equals).isPresent()) {
                    findings.add(
                            pod.owner(),
                            field,
                            "'" + image + "': `latest` is not a version; pin a version tag or a digest");
                } else if (ref.tag().isPresent() && !ref.validTag()) {
                    findings.add(pod.owner(), field, "'" + image + "': not a valid tag");
                } else if (ref.tag().isEmpty() && ref.digest().isEmpty()) {
                    findings.add(
                            pod.owner(),
                            field,
                            "'" + image + "' is not pinned (means `latest`); pin a version tag or a digest");
                } else if (PolicyConfig.DIGEST_ONLY_NAMESPACES.contains(pod.namespace())
                        && ref.digest().isEmpty()) {
                    findings.add(
                            pod.owner(),
                            field,
                            "'" + image + "': namespace " + pod.namespace()
                                    + " runs images by digest only (repository@sha256:...), as promoted by CI");
                }
            }
        }
    }
}
