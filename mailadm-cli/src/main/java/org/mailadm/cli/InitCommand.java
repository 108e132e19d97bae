package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dagger.Lazy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.nio.file.Path;
import java.util.Locale;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Configuration;
import org.mailadm.core.config.Settings;

@Parameters(commandDescription = "Write the configuration into the database, creating it if missing (may be re-run)")
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
        String domain = value(mailDomain, "--mail-domain", "MAIL_DOMAIN").trim().toLowerCase(Locale.ROOT);
        String web = value(webEndpoint, "--web-endpoint", "WEB_ENDPOINT");
        String mcEndpoint = value(mailcowEndpoint, "--mailcow-endpoint", "MAILCOW_ENDPOINT");
        String mcToken = value(mailcowToken, "--mailcow-token", "MAILCOW_TOKEN").trim();
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
        if (!"https".equalsIgnoreCase(settings.webEndpoint().getScheme())) {
            output.err()
                    .println("WARNING: the web endpoint " + settings.webEndpoint() + " is not https://. Delta Chat only"
                            + " follows https:// token URLs: QR codes for this endpoint will not work in the app. Put nginx with"
                            + " a certificate in front of mailadm and run init again with the https:// URL.");
        }
        return 0;
    }

    private String value(String option, String flag, String variable) {
        if (option != null && !option.isBlank()) {
            return option;
        }
        return env.get(variable)
                .orElseThrow(() ->
                        new CliException("missing " + flag + ": give it or set " + variable + "; nothing was written"));
    }
}
