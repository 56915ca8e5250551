package dev.usersapi.store;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Which SQL failures mean "the database is unavailable, try again soon" (answered 503) rather than a bug
 * in our SQL (answered 500). Walks the cause chain: Hikari wraps the driver's connect failure.
 */
final class SqlFailures {
    /** SQLState 23505: a unique index refused the row. */
    static final String UNIQUE_VIOLATION = "23505";

    private static final Set<String> UNAVAILABLE_STATES = Set.of(
            "57P01", // admin_shutdown: the server is stopping (restart, failover)
            "57P02", // crash_shutdown
            "57P03", // cannot_connect_now: the server is starting or in recovery
            "57014", // query_canceled: our statement_timeout fired
            "25006", // read_only_sql_transaction: a demoted primary after a failover, until the pool reconnects
            "40001", // serialization_failure
            "40P01", // deadlock_detected
            "55P03"); // lock_not_available

    private SqlFailures() {}

    /** SQLState 57014: our statement_timeout cancelled the statement. */
    static boolean isStatementTimeout(SQLException e) {
        return "57014".equals(e.getSQLState());
    }

    static boolean isUnavailable(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLTimeoutException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                // Class 08: connection exceptions; class 53: insufficient resources (53300 too many connections,
                // 53100 disk full); both clear by themselves or by an operator, not by a code change.
                if (state.startsWith("08") || state.startsWith("53") || UNAVAILABLE_STATES.contains(state)) {
                    return true;
                }
            }
        }
        return false;
    }
}
