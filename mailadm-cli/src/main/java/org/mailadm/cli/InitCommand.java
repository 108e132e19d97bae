package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dagger.Lazy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Configuration;
import org.mailadm.core.config.Settings;

@Parameters(
        commandDescription = "Write the configuration into the database, creating it if missing; run again, it changes"
                + " the settings given and keeps the others")
@CommandRole(value = Role.LOCAL, createsDatabase = true)
final class InitCommand extends BaseCommand {

    @Parameter(names = "--web-endpoint", description = "Public URL Delta Chat posts to [default: $WEB_ENDPOINT]")
    String webEndpoint;

    @Parameter(names = "--mail-domain", description = "Domain of created addresses [default: $MAIL_DOMAIN]")
    String mailDomain;

    @Parameter(
            names = "--mailcow-endpoint",
            description = "mailcow API URL, ending in /api/v1/ [default: $MAILCOW_ENDPOINT]")
    String mailcowEndpoint;

    @Parameter(names = "--mailcow-token", description = "mailcow read-write API key [default: $MAILCOW_TOKEN]")
    String mailcowToken;

    private final Environment env;
    private final Lazy<Path> database;
    private final Lazy<Configuration> configuration;
    private final Output output;

    @Inject
    InitCommand(
            Environment env, @Named("database") Lazy<Path> database, Lazy<Configuration> configuration, Output output) {
        this.env = env;
        this.database = database;
        this.configuration = configuration;
        this.output = output;
    }

    @Override
    public int run() {
        // What init stored before, if it ran: one setting can change and the others stay.
        Optional<Settings> stored =
                java.nio.file.Files.exists(database.get()) ? configuration.get().current() : Optional.empty();
        String domain = value(mailDomain, "--mail-domain", "MAIL_DOMAIN", stored.map(Settings::mailDomain))
                .trim()
                .toLowerCase(Locale.ROOT);
        String web = value(
                webEndpoint,
                "--web-endpoint",
                "WEB_ENDPOINT",
                stored.map(x -> x.webEndpoint().toString()));
        String mcEndpoint = value(
                mailcowEndpoint,
                "--mailcow-endpoint",
                "MAILCOW_ENDPOINT",
                stored.map(x -> x.mailcowEndpoint().toString()));
        String mcToken = value(
                        mailcowToken,
                        "--mailcow-token",
                        "MAILCOW_TOKEN",
                        stored.map(x -> x.mailcowToken().value()))
                .trim();
        Settings settings;
        try {
            settings = new Settings(
                    EmailAddress.checkDomain(domain),
                    Settings.parseHttpUrl("web endpoint", web),
                    Settings.parseHttpUrl("mailcow endpoint", mcEndpoint),
                    new ApiKey(mcToken));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage() + "; nothing was written");
        }
        output.out().println("initializing database " + database.get());
        configuration.get().save(settings);
        output.warnIfNotHttps(settings);
        return 0;
    }

    /** The option, else the environment variable (as the original's init read it), else what init stored before. */
    private String value(String option, String flag, String variable, Optional<String> stored) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        return env.get(variable)
                .or(() -> stored)
                .orElseThrow(() ->
                        new CliException("missing " + flag + ": give it or set " + variable + "; nothing was written"));
    }
}
