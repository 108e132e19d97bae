package org.mailadm.sqlite;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.port.Storage;
import org.mailadm.testing.MutableClock;
import org.mailadm.testing.StorageContract;

class SqliteStorageTest extends StorageContract {
    @TempDir
    Path dir;

    @Override
    protected Storage createStorage() {
        return SqliteStorage.open(dir.resolve("mailadm.db"), MutableClock.atFixedStart());
    }
}
