package dev.usersapi.policy;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference split into repository, tag and digest, following the distribution reference grammar:
 * {@code [registry/]path[:tag][@algorithm:hex]}.
 */
public record ImageReference(String repository, Optional<String> tag, Optional<String> digest) {

    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");

    public static ImageReference parse(String image) {
        String rest = image;
        Optional<String> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = Optional.of(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) { // a colon before the last slash is a registry port
            tag = Optional.of(rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        return new ImageReference(rest, tag, digest);
    }

    public boolean validTag() {
        return tag.map(t -> TAG.matcher(t).matches()).orElse(false);
    }

    public boolean validDigest() {
        return digest.map(d -> SHA256.matcher(d).matches()).orElse(false);
    }
}
