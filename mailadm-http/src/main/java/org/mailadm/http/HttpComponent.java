package org.mailadm.http;

import dagger.BindsInstance;
import dagger.Component;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import org.mailadm.mailcow.MailcowModule;
import org.mailadm.sqlite.SqliteStorage;
import org.mailadm.sqlite.SqliteStorageModule;

/** The production server: SQLite storage and mailcow, wired at compile time. */
@Singleton
@Component(modules = {SqliteStorageModule.class, HttpModule.class, MailcowModule.class})
public interface HttpComponent extends HttpGraph {
    /** The database, for the migration notice at start-up. */
    SqliteStorage sqliteStorage();

    @Component.Factory
    interface Factory {
        HttpComponent create(
                @BindsInstance ServerConfig config,
                @BindsInstance Clock clock,
                @BindsInstance @Named("database") Path database);
    }

    /** The production graph. */
    static HttpComponent create(ServerConfig config, Clock clock, Path database) {
        return DaggerHttpComponent.factory().create(config, clock, database);
    }
}
