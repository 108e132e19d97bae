package org.mailadm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dagger.Module;
import dagger.Provides;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.SecretGenerator;
import org.mailadm.core.port.SecureRandomSecretGenerator;
import org.mailadm.core.port.Storage;
import org.mailadm.mailcow.MailcowMailProvider;
import org.mailadm.mailcow.MailcowOptions;

/** The CLI's own bindings: where the database is, the settings in it, randomness, JSON. */
@Module
final class CliModule {
    /** Where the container image keeps the database. */
    static final String DEFAULT_DB = "/mailadm/docker-data/mailadm.db";

    private CliModule() {}

    @Provides
    @Singleton
    @Named("database")
    static Path database(Environment env) {
        if (env.get("MAILADM_DB").isPresent()) {
            return Path.of(env.get("MAILADM_DB").get()).toAbsolutePath();
        }
        Path def = Path.of(DEFAULT_DB);
        if (!Files.isDirectory(def.getParent()) || !Files.isWritable(def.getParent())) {
            throw new CliException("MAILADM_DB is not set and the default database " + DEFAULT_DB
                    + " is not writable: set MAILADM_DB=/path/to/mailadm.db");
        }
        return def;
    }

    @Provides
    @Singleton
    static Settings settings(Storage storage, @Named("database") Path database) {
        return storage.settings()
                .orElseThrow(
                        () -> new CliException("database " + database + " is not initialized: run `mailadm init`"));
    }

    /** The audit log's actor: {@code cli:} and the operating-system user who ran the command. */
    @Provides
    @Named("actor")
    static String actor(Environment env) {
        String user = env.variables().getOrDefault("SUDO_USER", env.variables().getOrDefault("USER", ""));
        if (user.isBlank()) {
            user = System.getProperty("user.name", "unknown");
        }
        return "cli:" + user.replaceAll("[^A-Za-z0-9._-]", "?");
    }

    /** mailcow, built when a command first needs it and closed by {@link Cli} when the command ends. */
    @Provides
    @Singleton
    static MailProvider mailProvider(Settings settings, OpenResources open) {
        return open.register(new MailcowMailProvider(settings, MailcowOptions.DEFAULTS));
    }

    @Provides
    static SecretGenerator secretGenerator() {
        return new SecureRandomSecretGenerator();
    }

    @Provides
    @Singleton
    static ObjectMapper json() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }
}
