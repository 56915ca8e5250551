package dev.usersapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProblemTest {
    @Test
    void membersInOrderWithNullsWrittenAsNull() {
        Problem problem = new Problem(
                400,
                Problem.TYPE_PREFIX + "validation-failed",
                "Invalid user",
                "2 fields are invalid; see errors",
                List.of(new Problem.FieldError("name", "is required"), new Problem.FieldError("x\"", null)));

        assertThat(new String(problem.toJson(null, null), StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"urn:users-api:problem:validation-failed\",\"title\":\"Invalid user\","
                        + "\"status\":400,\"detail\":\"2 fields are invalid; see errors\",\"instance\":null,"
                        + "\"errors\":[{\"field\":\"name\",\"message\":\"is required\"},"
                        + "{\"field\":\"x\\\"\",\"message\":null}],\"request_id\":null}");
    }

    @Test
    void noErrorsMemberWithoutErrors() {
        assertThat(new String(
                        Problem.of(503, null, "Service Unavailable", "later").toJson("/p?q=\"1\"", "r-1"),
                        StandardCharsets.UTF_8))
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503,"
                        + "\"detail\":\"later\",\"instance\":\"/p?q=\\\"1\\\"\",\"request_id\":\"r-1\"}");
    }
}
