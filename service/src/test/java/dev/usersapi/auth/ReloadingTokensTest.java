package dev.usersapi.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class ReloadingTokensTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static String line(String role, String token) {
        return role + " " + HexFormat.of().formatHex(BearerAuthenticator.sha256(token)) + "\n";
    }

    /** Replaces the file the way the kubelet does: write beside it, then an atomic rename. */
    private static void replace(Path file, String content) throws Exception {
        Path tmp = file.resolveSibling("tokens.new");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static List<Role> roles(ReloadingTokens tokens) {
        return tokens.get().stream().map(TokenEntry::role).toList();
    }

    @Test
    void picksUpARotatedFileAfterTheInterval(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, line("writer", "old"));
        ManualClock clock = new ManualClock();
        ReloadingTokens tokens = new ReloadingTokens(file, INTERVAL, clock);
        BearerAuthenticator auth = new BearerAuthenticator(tokens);
        assertThat(auth.check(java.util.Optional.of("Bearer old"), Role.WRITER))
                .isInstanceOf(BearerAuthenticator.Outcome.Granted.class);

        replace(file, line("admin", "new") + line("writer", "other"));
        assertThat(roles(tokens)).as("not before the interval").containsExactly(Role.WRITER);
        clock.advance(INTERVAL);
        assertThat(roles(tokens)).containsExactly(Role.ADMIN, Role.WRITER);
        assertThat(auth.check(java.util.Optional.of("Bearer old"), Role.WRITER))
                .isInstanceOf(BearerAuthenticator.Outcome.Refused.class);
        assertThat(auth.check(java.util.Optional.of("Bearer new"), Role.ADMIN))
                .isInstanceOf(BearerAuthenticator.Outcome.Granted.class);
    }

    @Test
    void keepsTheTokensInForceWhenTheNewFileIsBrokenOrGone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, line("writer", "a") + line("admin", "b"));
        ManualClock clock = new ManualClock();
        ReloadingTokens tokens = new ReloadingTokens(file, INTERVAL, clock);

        replace(file, "writer not-a-hash\n");
        clock.advance(INTERVAL);
        assertThat(roles(tokens)).containsExactly(Role.WRITER, Role.ADMIN);

        Files.delete(file);
        clock.advance(INTERVAL);
        assertThat(roles(tokens)).containsExactly(Role.WRITER, Role.ADMIN);

        Files.writeString(file, line("admin", "c"));
        clock.advance(INTERVAL);
        assertThat(roles(tokens)).containsExactly(Role.ADMIN);
    }

    @Test
    void aMissingFileInAMissingFolderStopsTheStart(@TempDir Path dir) {
        assertThatThrownBy(() -> new ReloadingTokens(dir.resolve("no-such-folder/tokens"), INTERVAL, new ManualClock()))
                .isInstanceOf(InvalidTokensFileException.class)
                .hasMessageContaining("cannot be read");
    }

    /** An optional Secret volume whose Secret does not exist yet: an empty folder. The tokens come when it does. */
    @Test
    void aMissingFileInAnExistingFolderStartsWithNoTokensAndTakesThemWhenTheFileAppears(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("tokens");
        ManualClock clock = new ManualClock();
        ReloadingTokens[] tokens = new ReloadingTokens[1];
        List<ILoggingEvent> atStart = logged(() -> tokens[0] = new ReloadingTokens(file, INTERVAL, clock));
        assertThat(tokens[0].get()).isEmpty();
        assertThat(atStart).anySatisfy(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("does not exist yet");
        });

        clock.advance(INTERVAL);
        assertThat(logged(() -> assertThat(tokens[0].get()).isEmpty()))
                .as("still waiting: nothing new to say")
                .isEmpty();

        Files.writeString(file, line("writer", "a"));
        clock.advance(INTERVAL);
        assertThat(roles(tokens[0])).containsExactly(Role.WRITER);
    }

    /** The lines ReloadingTokens logs while {@code action} runs. */
    private static List<ILoggingEvent> logged(ThrowingRunnable action) throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(ReloadingTokens.class);
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        captured.start();
        logger.addAppender(captured);
        try {
            action.run();
        } finally {
            logger.detachAppender(captured);
        }
        return captured.list;
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void anEmptyFileAfterStartIsUnusableAndKeepsTheTokens(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, line("writer", "w") + line("admin", "a"));
        ManualClock clock = new ManualClock();
        ReloadingTokens tokens = new ReloadingTokens(file, INTERVAL, clock);
        for (String empty : List.of("", "  \n\t\n")) {
            replace(file, empty);
            clock.advance(INTERVAL);
            List<ILoggingEvent> events = logged(() -> assertThat(roles(tokens))
                    .as("'%s' revokes nothing", empty)
                    .containsExactly(Role.WRITER, Role.ADMIN));
            assertThat(events).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                assertThat(e.getFormattedMessage()).contains("empty").contains("keeping the 2 tokens");
            });
        }
    }

    @Test
    void aFileOfOnlyCommentsRevokesEveryTokenAtWarn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, line("writer", "w") + line("admin", "a"));
        ManualClock clock = new ManualClock();
        ReloadingTokens tokens = new ReloadingTokens(file, INTERVAL, clock);
        replace(file, "# every writer revoked on purpose\n");
        clock.advance(INTERVAL);
        List<ILoggingEvent> events = logged(() -> assertThat(tokens.get()).isEmpty());
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).contains("2 tokens revoked");
        });
    }

    @Test
    void anEmptyFileAtStartMeansNoWriters(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, "");
        assertThat(new ReloadingTokens(file, INTERVAL, new ManualClock()).get()).isEmpty();
    }
}
