package org.mailadm.sqlite;

import dagger.Module;
import dagger.Provides;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import org.mailadm.core.port.Storage;

/**
 * Publishes {@link Storage} backed by {@link SqliteStorage} on the file bound as
 * {@code @Named("database") Path}.
 */
@Module
public final class SqliteStorageModule {
    private SqliteStorageModule() {}

    @Provides
    @Singleton
    static SqliteStorage sqliteStorage(@Named("database") Path file, Clock clock) {
        return SqliteStorage.open(file, clock);
    }

    @Provides
    static Storage storage(SqliteStorage storage) {
        return storage;
    }
}
