package org.mailadm.greenmail;

import dagger.Binds;
import dagger.Module;
import jakarta.inject.Named;
import org.mailadm.core.port.MailProvider;

/**
 * Binds the embedded mail server as the {@code @Named("provider")} mail provider. The component
 * supplies the {@link EmbeddedMailServer} instance.
 */
@Module
public interface GreenMailModule {
    @Binds
    @Named("provider")
    MailProvider provider(GreenMailProvider provider);
}
