package dev.usersapi.api;

import dev.usersapi.support.AppPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link UsersApiCases} on the PostgreSQL store, a fresh database on a real server. */
class UsersApiPostgresTest extends UsersApiCases {
    @RegisterExtension
    static final AppPerClass APP = AppPerClass.onPostgres(UsersApiPostgresTest.class);

    UsersApiPostgresTest() {
        super(APP);
    }
}
