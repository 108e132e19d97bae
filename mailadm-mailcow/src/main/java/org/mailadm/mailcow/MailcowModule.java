package org.mailadm.mailcow;

import dagger.Binds;
import dagger.Module;
import org.mailadm.core.port.MailProvider;

/** Publishes {@link MailProvider} as {@link MailcowMailProvider}, configured from the bound {@code Settings}. */
@Module
public interface MailcowModule {
    @Binds
    MailProvider mailProvider(MailcowMailProvider provider);
}
