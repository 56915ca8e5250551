package dev.usersapi.api;

import dev.usersapi.support.AppPerClass;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link BadInputMatrixCases} on the embedded in-memory store. */
class BadInputMatrixTest extends BadInputMatrixCases {
    @RegisterExtension
    static final AppPerClass APP = AppPerClass.inMemory();

    BadInputMatrixTest() {
        super(APP);
    }
}
