package dev.usersapi.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token hashes of a tokens file, re-read when the file changes, so rotating the Secret takes effect
 * without a restart (the kubelet swaps a mounted Secret's files atomically). At most one check per
 * interval, on the request path: a stat, and a read only when modification time or size changed.
 * A changed file that does not parse is logged and ignored: the tokens in force stay in force. So is a changed
 * file that is empty or only whitespace: a truncated write or an empty Secret key looks exactly like that, and
 * must not lock every writer out. To revoke every token on purpose, write a file with only a comment line.
 * Any reload that drops a token in force is logged at WARN.
 */
public final class ReloadingTokens implements Supplier<List<TokenEntry>> {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingTokens.class);

    private final Path file;
    private final Clock clock;
    private final long intervalMillis;
    private volatile State state;

    private record State(List<TokenEntry> entries, Object fileKey, long modified, long size, long checkedAt) {}

    /**
     * Reads the file now; a malformed file stops the start (InvalidTokensFileException), and so does a missing one
     * unless its folder exists: that is a Secret volume mounted {@code optional} whose Secret does not exist yet (a
     * first deployment before its tokens are sealed). The service then starts with no tokens, refusing every write,
     * and takes the tokens when the kubelet writes the file.
     */
    public ReloadingTokens(Path file, Duration interval, Clock clock) {
        this.file = file;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        var attrs = attributes();
        if (attrs.isPresent()) {
            BasicFileAttributes a = attrs.get();
            this.state = new State(
                    TokensFile.read(file), a.fileKey(), a.lastModifiedTime().toMillis(), a.size(), clock.millis());
        } else if (isDirectory(file.toAbsolutePath().getParent())) {
            LOG.warn(
                    "tokens file {} does not exist yet (its Secret is not there): every create and delete is refused"
                            + " until it appears",
                    file);
            this.state = new State(List.of(), null, -1, -1, clock.millis());
        } else {
            throw new InvalidTokensFileException(file + ": cannot be read (no such file, and no folder "
                    + file.toAbsolutePath().getParent() + ")");
        }
    }

    @Override
    public List<TokenEntry> get() {
        State current = state;
        long now = clock.millis();
        if (now - current.checkedAt() < intervalMillis) {
            return current.entries();
        }
        state = refreshed(current, now);
        return state.entries();
    }

    // Identity, not equality: the question is whether this very snapshot was replaced meanwhile.
    @SuppressWarnings("ReferenceEquality")
    private synchronized State refreshed(State current, long now) {
        if (state != current) {
            return state; // another request refreshed meanwhile
        }
        var attrs = attributes();
        if (attrs.isEmpty()) {
            if (current.fileKey() != null || current.size() >= 0) { // it was there: losing it is news
                LOG.error(
                        "tokens file {} has disappeared; keeping the {} tokens in force",
                        file,
                        current.entries().size());
            }
            return new State(current.entries(), current.fileKey(), current.modified(), current.size(), now);
        }
        BasicFileAttributes a = attrs.get();
        if (Objects.equals(a.fileKey(), current.fileKey())
                && a.lastModifiedTime().toMillis() == current.modified()
                && a.size() == current.size()) {
            return new State(current.entries(), current.fileKey(), current.modified(), current.size(), now);
        }
        try {
            if (isBlank()) {
                LOG.error(
                        "tokens file {} changed to an empty file, which cannot be used; keeping the {} tokens in "
                                + "force (to revoke them all, write a file with only a comment line)",
                        file,
                        current.entries().size());
                return new State(
                        current.entries(), a.fileKey(), a.lastModifiedTime().toMillis(), a.size(), now);
            }
            List<TokenEntry> entries = TokensFile.read(file);
            long revoked = current.entries().stream()
                    .filter(old -> entries.stream()
                            .noneMatch(
                                    e -> e.role() == old.role() && java.util.Arrays.equals(e.sha256(), old.sha256())))
                    .count();
            if (revoked > 0) {
                LOG.warn(
                        "tokens file {} changed: {} tokens revoked, {} tokens now in force",
                        file,
                        revoked,
                        entries.size());
            } else {
                LOG.info("tokens file {} changed: {} tokens now in force", file, entries.size());
            }
            return new State(entries, a.fileKey(), a.lastModifiedTime().toMillis(), a.size(), now);
        } catch (InvalidTokensFileException e) {
            LOG.error(
                    "tokens file changed but cannot be used, keeping the {} tokens in force: {}",
                    current.entries().size(),
                    e.getMessage());
            return new State(
                    current.entries(), a.fileKey(), a.lastModifiedTime().toMillis(), a.size(), now);
        }
    }

    private boolean isBlank() {
        try {
            return Files.readString(file).isBlank();
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // TokensFile.read reports why it cannot be read
        }
    }

    private java.util.Optional<BasicFileAttributes> attributes() {
        try {
            return java.util.Optional.of(Files.readAttributes(file, BasicFileAttributes.class));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static boolean isDirectory(Path folder) {
        return folder != null && Files.isDirectory(folder);
    }
}
