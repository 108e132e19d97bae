package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.mailadm.core.config.Settings;
import org.mailadm.core.token.TokenAdmin;
import org.mailadm.core.token.TokenAdmin.RotateTokenResult;
import org.mailadm.core.token.TokenLinks;
import org.mailadm.core.token.TokenName;
import org.mailadm.qr.QrImages;

@Parameters(
        commandDescription = "Give a token a new secret: its old QR code stops working at once; its name, use count,"
                + " settings and accounts stay")
@CommandRole(Role.LOCAL)
final class RotateTokenCommand extends BaseCommand {

    @Parameter(description = "NAME")
    List<String> args = new ArrayList<>();

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<TokenAdmin> admin;
    private final Lazy<Settings> settings;
    private final Output output;

    @Inject
    RotateTokenCommand(Lazy<TokenAdmin> admin, Lazy<Settings> settings, Output output) {
        this.admin = admin;
        this.settings = settings;
        this.output = output;
    }

    @Override
    public int run() {
        TokenName name = Arguments.tokenName(Arguments.single(args, "token NAME"));
        return switch (admin.get().rotate(name)) {
            case RotateTokenResult.Rotated r -> {
                output.warnIfNotHttps(settings.get());
                output.printToken(r.token(), settings.get(), json);
                if (!json) {
                    output.out()
                            .print(QrImages.terminal(
                                    new TokenLinks(settings.get().webEndpoint()).qrPayload(r.token())));
                    output.out()
                            .println("The old secret no longer works: hand out this QR code (`mailadm gen-qr " + name
                                    + "` prints it as a PNG).");
                }
                yield 0;
            }
            case RotateTokenResult.NotFound f ->
                throw new CliException("token '" + name + "' does not exist: see `mailadm list-tokens`");
        };
    }
}
