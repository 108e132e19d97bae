package org.mailadm.http;

import dagger.Module;
import dagger.Provides;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.mailadm.core.account.InFlightWindow;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.SecretGenerator;
import org.mailadm.core.port.SecureRandomSecretGenerator;
import org.mailadm.core.port.SettingsStore;
import org.mailadm.mailcow.MailcowOptions;

/**
 * The server's bindings: settings from the database, randomness, metrics, and the mail provider
 * bound as {@code @Named("provider")} wrapped in latency metrics. Install {@code MailcowModule}
 * (mailadm-mailcow) for the production provider, or bind another {@code @Named("provider")
 * MailProvider}.
 */
@Module
public final class HttpModule {
    private HttpModule() {}

    @Provides
    @Singleton
    static Settings settings(SettingsStore storage, @Named("database") Path database) {
        return storage.settings()
                .orElseThrow(() ->
                        new IllegalStateException("database " + database + " is not initialized: run `mailadm init`"));
    }

    /** The audit log's actor for the server's own changes (creations name each client). */
    @Provides
    @Named("actor")
    static String actor() {
        return "web";
    }

    /** The in-flight window, from the server's mailcow timeouts (the same rule as the CLI's). */
    @Provides
    static InFlightWindow inFlightWindow(ServerConfig config) {
        return InFlightWindow.forTimeouts(
                config.mailcow().connectTimeout(), config.mailcow().requestTimeout());
    }

    @Provides
    static SecretGenerator secretGenerator() {
        return new SecureRandomSecretGenerator();
    }

    @Provides
    @Singleton
    static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        return registry;
    }

    /**
     * The provider as the server uses it: timed for metrics, behind the bulkhead and the circuit
     * breakers of {@link GuardedMailProvider}.
     */
    @Provides
    @Singleton
    static GuardedMailProvider guardedProvider(
            @Named("provider") MailProvider provider,
            ServerConfig config,
            java.time.Clock clock,
            PrometheusMeterRegistry registry) {
        return new GuardedMailProvider(new TimedMailProvider(provider, registry), config, clock, registry);
    }

    @Provides
    static MailProvider provider(GuardedMailProvider guarded) {
        return guarded;
    }

    /** mailcow's timeouts, as the server read them (used when {@code MailcowModule} is installed). */
    @Provides
    static MailcowOptions mailcowOptions(ServerConfig config) {
        return config.mailcow();
    }
}
