package org.mailadm.dist.example;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.mailadm.core.account.AccountCreation;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.account.AccountRemoval;
import org.mailadm.core.account.InFlightWindow;
import org.mailadm.core.account.Pruner;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.SecretGenerator;
import org.mailadm.core.port.SecureRandomSecretGenerator;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenAdmin;
import org.mailadm.core.token.TokenName;
import org.mailadm.mailcow.MailcowMailProvider;
import org.mailadm.mailcow.MailcowOptions;
import org.mailadm.sqlite.SqliteStorage;

/**
 * docs/embedding.md shows the part between the markers; EmbeddingExampleTest runs it against the
 * fake mailcow and checks that the page still shows exactly this code.
 */
public final class EmbeddingExample {
    private EmbeddingExample() {}

    /** Creates a token and one account, then prunes; returns the new address. */
    public static String run(Path database, URI mailcowEndpoint, String apiKey) {
        // example:start
        Clock clock = Clock.systemUTC();
        try (SqliteStorage storage = SqliteStorage.open(database, clock)) { // creates or upgrades the file
            Settings settings = new Settings(
                    "example.org",
                    URI.create("https://mailadm.example.org/new_email"),
                    mailcowEndpoint, // e.g. https://mail.example.org/api/v1/
                    new ApiKey(apiKey));
            storage.saveSettings(settings);
            MailProvider mailcow = new MailcowMailProvider(settings, MailcowOptions.DEFAULTS);
            SecretGenerator random = new SecureRandomSecretGenerator();
            Audit audit = new Audit(storage, clock, "my-tool"); // the audit log's actor
            AccountRemoval removal = new AccountRemoval(storage, mailcow, audit);

            // SqliteStorage is every storage port: pass it wherever a use case asks for one.
            TokenAdmin tokens = new TokenAdmin(storage, storage, removal, random, audit);
            Token token = switch (tokens.add(
                    new TokenName("oneday"), Expiry.parse("1d"), "tmp.", 50, Optional.empty())) {
                case TokenAdmin.AddTokenResult.Added added -> added.token();
                case TokenAdmin.AddTokenResult.NameTaken taken ->
                    tokens.find(taken.name()).orElseThrow();
                case TokenAdmin.AddTokenResult.SecretTaken taken -> throw new IllegalStateException("run again");
            };

            AccountCreation accounts = new AccountCreation(storage, storage, mailcow, random, clock, settings, audit);
            String address = switch (accounts.createWithSecret(token.secret().value())) {
                case CreateAccountResult.Created created ->
                    created.account().address().toString();
                case CreateAccountResult.TokenExhausted exhausted -> throw new IllegalStateException("token used up");
                case CreateAccountResult result -> throw new IllegalStateException("not created: " + result);
            };

            InFlightWindow window = InFlightWindow.forTimeouts( // creations younger than this are left alone
                    MailcowOptions.DEFAULTS.connectTimeout(), MailcowOptions.DEFAULTS.requestTimeout());
            new Pruner(storage, storage, storage, mailcow, removal, clock, audit, settings, window)
                    .prune(false); // `mailadm prune`
            return address;
        }
        // example:end
    }
}
