package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.mailadm.core.account.Secrets;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.SecretGenerator;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenLinks;
import org.mailadm.core.token.TokenName;
import org.mailadm.http.QrImages;
import org.mailadm.sqlite.SqliteStorage;

@Parameters(commandDescription = "Try mailadm: a database in a new folder, example settings and a demo token")
final class DemoCommand extends BaseCommand {

    @Parameter(names = "--dir", description = "Folder for the demo database [default: a new temporary folder]")
    String dir;

    private final Clock clock;
    private final SecretGenerator random;
    private final Output output;

    @Inject
    DemoCommand(Clock clock, SecretGenerator random, Output output) {
        this.clock = clock;
        this.random = random;
        this.output = output;
    }

    @Override
    public int run() {
        Path folder;
        try {
            folder = dir != null ? Files.createDirectories(Path.of(dir)) : Files.createTempDirectory("mailadm-demo");
        } catch (IOException e) {
            throw new CliException("cannot create the demo folder: " + e.getMessage());
        }
        Path db = folder.resolve("mailadm.db").toAbsolutePath();
        SqliteStorage storage = SqliteStorage.open(db, clock);
        Settings settings = storage.settings().orElseGet(() -> {
            Settings s = new Settings(
                    "example.org",
                    URI.create("https://mailadm.example.org/new_email"),
                    URI.create("http://127.0.0.1:1/api/v1/"),
                    new ApiKey("DEMO00-000000-000000-000000-000000"));
            storage.saveSettings(s);
            return s;
        });
        TokenName name = new TokenName("demo");
        Token token = storage.findToken(name).orElseGet(() -> {
            Expiry expiry = Expiry.parse("1d");
            Token t = new Token(name, new Secrets(random).tokenSecret(expiry), expiry, "tmp.", 10, 0);
            storage.insertToken(t);
            return t;
        });
        output.out().println("demo database: " + db);
        output.printToken(token, settings);
        output.out().print(QrImages.terminal(new TokenLinks(settings.webEndpoint()).qrPayload(token)));
        output.out().println();
        output.out().println("Try more commands on it:");
        output.out().println("  MAILADM_DB=" + db + " ./mailadm list-tokens");
        output.out().println("  MAILADM_DB=" + db + " ./mailadm gen-qr demo");
        output.out().println("Creating accounts needs a mail server: run `mailadm init` with your mailcow's settings.");
        return 0;
    }
}
