package dev.usersapi.api;

import dev.usersapi.support.AppPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link UsersApiCases} on the embedded in-memory store. */
class UsersApiTest extends UsersApiCases {
    @RegisterExtension
    static final AppPerClass APP = AppPerClass.inMemory();

    UsersApiTest() {
        super(APP);
    }
}
