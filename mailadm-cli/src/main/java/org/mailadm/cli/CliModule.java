package org.mailadm.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dagger.Module;
import dagger.Provides;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.mailadm.core.account.InFlightWindow;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.SecretGenerator;
import org.mailadm.core.port.SecureRandomSecretGenerator;
import org.mailadm.core.port.SettingsStore;
import org.mailadm.mailcow.MailcowMailProvider;
import org.mailadm.mailcow.MailcowModule;
import org.mailadm.mailcow.MailcowOptions;
import org.mailadm.sqlite.SqliteStorage;
import org.mailadm.sqlite.SqliteStorageModule;

/** The CLI's own bindings: where the database is and its lifetime, the settings in it, mailcow, randomness, JSON. */
@Module(includes = {SqliteStorageModule.Ports.class, MailcowModule.class})
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
    static Settings settings(SettingsStore storage, @Named("database") Path database) {
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

    /**
     * The database, opened when a command first needs it and closed by {@link Cli} when the command
     * ends (which folds the WAL into the file, so the file alone holds everything). A migration on
     * open is said in one line on standard error: no command rewrites the file silently.
     */
    @Provides
    @Singleton
    static SqliteStorage sqliteStorage(@Named("database") Path file, Clock clock, OpenResources open, Console console) {
        SqliteStorage storage = open.register(SqliteStorage.open(file, clock));
        storage.migration().ifPresent(m -> console.err().println("mailadm: " + m.notice(file)));
        return storage;
    }

    /** MAILCOW_TIMEOUT and MAILCOW_LIST_TIMEOUT, read as the server reads them. */
    @Provides
    @Singleton
    static MailcowOptions mailcowOptions(Environment env) {
        return MailcowOptions.fromEnvironment(env.variables());
    }

    /** The same rule as the server's, from the same variables. */
    @Provides
    static InFlightWindow inFlightWindow(MailcowOptions options) {
        return InFlightWindow.forTimeouts(options.connectTimeout(), options.requestTimeout());
    }

    /** mailcow, built when a command first needs it and closed by {@link Cli} when the command ends. */
    @Provides
    @Singleton
    static MailProvider mailProvider(MailcowMailProvider mailcow, OpenResources open) {
        return open.register(mailcow);
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
