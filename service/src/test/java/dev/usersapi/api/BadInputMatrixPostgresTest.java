package dev.usersapi.api;

import dev.usersapi.support.AppPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BadInputMatrixCases} on the PostgreSQL store, a fresh database on a real server. */
class BadInputMatrixPostgresTest extends BadInputMatrixCases {
    @RegisterExtension
    static final AppPerClass APP = AppPerClass.onPostgres(BadInputMatrixPostgresTest.class);

    BadInputMatrixPostgresTest() {
        super(APP);
    }
}
