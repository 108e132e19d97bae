package org.mailadm.cli;

import dagger.BindsInstance;
import dagger.Component;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import org.mailadm.core.config.Configuration;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.token.TokenAdmin;
import org.mailadm.http.HttpGraph;
import org.mailadm.http.HttpModule;
import org.mailadm.http.ServerConfig;
import org.mailadm.sqlite.SqliteStorageModule;

/** The server of {@code mailadm demo}: SQLite storage and a mail provider given by the caller. */
@Singleton
@Component(modules = {SqliteStorageModule.class, HttpModule.class})
interface DemoComponent extends HttpGraph {
    /** The demo's settings, saved as {@code init} would (audited). */
    Configuration configuration();

    /** The demo token, added as {@code add-token} would (name rules, audit). */
    TokenAdmin tokenAdmin();

    @Component.Factory
    interface Factory {
        DemoComponent create(
                @BindsInstance ServerConfig config,
                @BindsInstance Clock clock,
                @BindsInstance @Named("database") Path database,
                @BindsInstance @Named("provider") MailProvider provider);
    }
}
