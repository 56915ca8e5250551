package dev.usersapi.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersapi.auth.BearerAuthenticator.Outcome;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BearerAuthenticatorTest {
    private final BearerAuthenticator auth =
            new BearerAuthenticator(List.of(entry(Role.WRITER, "w-token"), entry(Role.ADMIN, "a-token")));

    private static TokenEntry entry(Role role, String token) {
        return new TokenEntry(role, BearerAuthenticator.sha256(token), 1);
    }

    private Outcome check(String header, Role role) {
        return auth.check(Optional.ofNullable(header), role);
    }

    @Test
    void grantsByRole() {
        assertThat(check("Bearer w-token", Role.WRITER)).isEqualTo(new Outcome.Granted(Role.WRITER));
        assertThat(check("Bearer a-token", Role.WRITER)).isEqualTo(new Outcome.Granted(Role.ADMIN));
        assertThat(check("Bearer a-token", Role.ADMIN)).isEqualTo(new Outcome.Granted(Role.ADMIN));
        assertThat(check("bEaReR   w-token  ", Role.WRITER)).isEqualTo(new Outcome.Granted(Role.WRITER));
    }

    @Test
    void refusesWithTheRightReason() {
        assertThat(check(null, Role.WRITER)).isEqualTo(new Outcome.Refused(AuthFailureReason.MISSING_TOKEN));
        assertThat(check("Bearer", Role.WRITER)).isEqualTo(new Outcome.Refused(AuthFailureReason.MISSING_TOKEN));
        assertThat(check("Bearer    ", Role.WRITER)).isEqualTo(new Outcome.Refused(AuthFailureReason.MISSING_TOKEN));
        assertThat(check("Basic dzp4", Role.WRITER)).isEqualTo(new Outcome.Refused(AuthFailureReason.MISSING_TOKEN));
        assertThat(check("Bearer nope", Role.WRITER)).isEqualTo(new Outcome.Refused(AuthFailureReason.INVALID_TOKEN));
        assertThat(check("Bearer " + "x".repeat(10_000), Role.WRITER))
                .isEqualTo(new Outcome.Refused(AuthFailureReason.INVALID_TOKEN));
        assertThat(check("Bearer w-token", Role.ADMIN)).isEqualTo(new Outcome.Refused(AuthFailureReason.FORBIDDEN));
    }

    @Test
    void theHashIsNotAToken() {
        String hash = HexFormat.of().formatHex(BearerAuthenticator.sha256("w-token"));
        assertThat(check("Bearer " + hash, Role.WRITER))
                .isEqualTo(new Outcome.Refused(AuthFailureReason.INVALID_TOKEN));
    }

    @Test
    void noTokensRefusesEveryone() {
        assertThat(BearerAuthenticator.none().check(Optional.of("Bearer w-token"), Role.WRITER))
                .isEqualTo(new Outcome.Refused(AuthFailureReason.INVALID_TOKEN));
    }
}
