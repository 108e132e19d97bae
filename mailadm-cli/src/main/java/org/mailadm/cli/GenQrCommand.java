package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mailadm.core.config.Settings;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenAdmin;
import org.mailadm.core.token.TokenLinks;
import org.mailadm.core.token.TokenName;
import org.mailadm.qr.QrImages;

@Parameters(commandDescription = "Write a printable QR code for a token: dcaccount-<domain>-<name>.png")
@CommandRole(Role.LOCAL)
final class GenQrCommand extends BaseCommand {

    @Parameter(description = "TOKENNAME")
    List<String> args = new ArrayList<>();

    @Parameter(names = "--output", description = "Folder to write the PNG into [default: the current folder]")
    String output = ".";

    @Parameter(names = "--terminal", description = "Print the QR code as text instead of writing a PNG")
    boolean terminal;

    @Parameter(
            names = "--allow-http",
            description = "Print a QR code for an http:// web endpoint all the same (a local test: Delta Chat will not"
                    + " follow it)")
    boolean allowHttp;

    private final Lazy<TokenAdmin> tokens;
    private final Lazy<Settings> settings;
    private final Output out;

    @Inject
    GenQrCommand(Lazy<TokenAdmin> tokens, Lazy<Settings> settings, Output out) {
        this.tokens = tokens;
        this.settings = settings;
        this.out = out;
    }

    @Override
    public int run() {
        TokenName name = Arguments.tokenName(Arguments.single(args, "TOKENNAME"));
        Token token = tokens.get()
                .find(name)
                .orElseThrow(() -> new CliException("token '" + name + "' does not exist: see `mailadm list-tokens`"));
        Settings s = settings.get();
        if (!Output.followedByDeltaChat(s) && !allowHttp) {
            throw new CliException(
                    "not printing a QR code for " + s.webEndpoint() + ": Delta Chat only follows https://"
                            + " token URLs. Put nginx with a certificate in front of mailadm (docs/nginx.md) and run `mailadm init"
                            + " --web-endpoint https://...`; --allow-http prints it anyway, for a local test");
        }
        out.warnIfNotHttps(s);
        String payload = new TokenLinks(s.webEndpoint()).qrPayload(token);
        if (terminal) {
            out.out().print(QrImages.terminal(payload));
            out.out().println(payload);
            return 0;
        }
        Path dir = Path.of(output).toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new CliException("--output " + dir + " is not a folder");
        }
        Path file = dir.resolve(fileName(s.mailDomain(), name)).normalize();
        if (!file.getParent().equals(dir)) {
            throw new CliException("refusing to write outside " + dir);
        }
        try {
            Files.write(file, QrImages.png(payload, cardText(token, s)));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new CliException("permission denied: cannot write " + file.getFileName() + " in " + dir
                    + "; choose a folder you can write with --output DIR");
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage());
        }
        out.out().println(file.getFileName() + " written for token '" + name + "'");
        return 0;
    }

    /** {@code dcaccount-<domain>-<name>.png}, with any character that is unsafe in a file name replaced. */
    static String fileName(String domain, TokenName name) {
        return ("dcaccount-" + domain + "-" + name.value()).replaceAll("[^A-Za-z0-9._:-]", "_") + ".png";
    }

    static List<String> cardText(Token token, Settings s) {
        String lifetime = token.expiry().isNever()
                ? "The account does not expire."
                : "The account expires after " + token.expiry() + " (deleted when unused).";
        return List.of(
                "Scan with Delta Chat to get an e-mail account",
                "Address: " + token.prefix() + "xxxxx@" + s.mailDomain(),
                lifetime,
                "No Delta Chat yet? Install it from https://delta.chat, choose \"Create a new profile\","
                        + " then \"Scan invitation code\".");
    }
}
