package org.mailadm.mailcow;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import org.mailadm.core.port.MailProvider;

/**
 * Publishes {@link MailProvider} as {@link MailcowMailProvider}, configured from the bound {@code
 * Settings}, with {@link MailcowOptions#DEFAULTS}.
 */
@Module
public interface MailcowModule {
    @Binds
    MailProvider mailProvider(MailcowMailProvider provider);

    @Provides
    static MailcowOptions options() {
        return MailcowOptions.DEFAULTS;
    }
}
