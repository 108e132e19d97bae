package org.mailadm.mailcow;

import dagger.Module;
import dagger.Provides;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.MailProvider;

/**
 * The mailcow adapter as the production {@code @Named("provider") MailProvider}: one {@link
 * MailcowMailProvider} per graph, for the endpoint and API key in the {@link Settings} and the
 * {@link MailcowOptions} the entry point binds (from {@code MAILCOW_TIMEOUT} and {@code
 * MAILCOW_LIST_TIMEOUT}). The entry point owns its lifetime: it closes the provider when done.
 */
@Module
public final class MailcowModule {
    private MailcowModule() {}

    @Provides
    @Singleton
    static MailcowMailProvider mailcow(Settings settings, MailcowOptions options) {
        return new MailcowMailProvider(settings, options);
    }

    @Provides
    @Named("provider")
    static MailProvider provider(MailcowMailProvider mailcow) {
        return mailcow;
    }
}
