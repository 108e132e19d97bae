package org.mailadm.cli;

import dagger.BindsInstance;
import dagger.Component;
import dagger.Module;
import dagger.Provides;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Clock;
import org.mailadm.core.account.AccountCreation;
import org.mailadm.core.account.AccountListing;
import org.mailadm.core.account.AccountRemoval;
import org.mailadm.core.account.Pruner;
import org.mailadm.core.account.Reconciler;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.SecretGenerator;
import org.mailadm.core.port.SecureRandomSecretGenerator;
import org.mailadm.core.token.TokenAdmin;
import org.mailadm.mailcow.MailcowModule;
import org.mailadm.sqlite.SqliteStorageModule;

/** The CLI's object graph: core use cases on SQLite and mailcow, wired at compile time. */
@Singleton
@Component(modules = {SqliteStorageModule.class, MailcowModule.class, CliComponent.CoreModule.class})
public interface CliComponent {
    TokenAdmin tokenAdmin();

    AccountCreation accountCreation();

    AccountRemoval accountRemoval();

    AccountListing accountListing();

    Pruner pruner();

    Reconciler reconciler();

    @Component.Factory
    interface Factory {
        CliComponent create(
                @BindsInstance Settings settings,
                @BindsInstance Clock clock,
                @BindsInstance @Named("database") Path database);
    }

    /** Binds the production randomness. */
    @Module
    final class CoreModule {
        private CoreModule() {}

        @Provides
        static SecretGenerator secretGenerator() {
            return new SecureRandomSecretGenerator();
        }
    }
}
