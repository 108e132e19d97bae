package org.mailadm.sqlite;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import org.mailadm.core.port.AccountStore;
import org.mailadm.core.port.AuditLog;
import org.mailadm.core.port.LeaseStore;
import org.mailadm.core.port.SettingsStore;
import org.mailadm.core.port.Storage;
import org.mailadm.core.port.TokenStore;

/**
 * Publishes every storage port backed by {@link SqliteStorage} on the file bound as
 * {@code @Named("database") Path}. An entry point that opens the file itself (to own its lifecycle)
 * binds {@link SqliteStorage} and installs {@link Ports} alone.
 */
@Module(includes = SqliteStorageModule.Ports.class)
public final class SqliteStorageModule {
    private SqliteStorageModule() {}

    @Provides
    @Singleton
    static SqliteStorage sqliteStorage(@Named("database") Path file, Clock clock) {
        return SqliteStorage.open(file, clock);
    }

    /** Each storage port, from the one {@link SqliteStorage}. */
    @Module
    public interface Ports {
        @Binds
        Storage storage(SqliteStorage storage);

        @Binds
        SettingsStore settings(Storage storage);

        @Binds
        TokenStore tokens(Storage storage);

        @Binds
        AccountStore accounts(Storage storage);

        @Binds
        LeaseStore leases(Storage storage);

        @Binds
        AuditLog auditLog(Storage storage);
    }
}
