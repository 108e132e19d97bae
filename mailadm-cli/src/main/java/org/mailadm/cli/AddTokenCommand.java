package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.beust.jcommander.ParametersDelegate;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailadm.core.config.Settings;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenAdmin;
import org.mailadm.core.token.TokenAdmin.AddTokenResult;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;

@Parameters(commandDescription = "Add a token and print it")
@CommandRole(Role.LOCAL)
final class AddTokenCommand extends BaseCommand {

    @Parameter(description = "NAME")
    List<String> args = new ArrayList<>();

    @Parameter(names = "--expiry", description = "Account lifetime: 30s, 12h, 1d, 2w, 1y or never")
    String expiry = "1d";

    @Parameter(names = "--maxuse", description = "How many accounts the token may create")
    int maxUse = Token.DEFAULT_MAX_USE;

    @Parameter(names = "--prefix", description = "Address prefix of created accounts")
    String prefix = Token.DEFAULT_PREFIX;

    @Parameter(names = "--token", description = "The secret to use [default: <expiry>_<15 random characters>]")
    String token;

    @ParametersDelegate
    TokenPolicyOptions policy = new TokenPolicyOptions();

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<TokenAdmin> admin;
    private final Lazy<Settings> settings;
    private final Output output;

    @Inject
    AddTokenCommand(Lazy<TokenAdmin> admin, Lazy<Settings> settings, Output output) {
        this.admin = admin;
        this.settings = settings;
        this.output = output;
    }

    @Override
    public int run() {
        TokenName name = Arguments.tokenName(Arguments.single(args, "token NAME"));
        if (maxUse < 0) {
            throw new CliException("--maxuse must not be negative");
        }
        Expiry e = Expiry.parse(expiry);
        Token.checkPrefix(prefix);
        Optional<TokenSecret> secret = Optional.ofNullable(token).map(TokenSecret::new);
        TokenPolicy p = policy.change().apply(TokenPolicy.NONE);
        return switch (admin.get().add(name, e, prefix, maxUse, secret, p)) {
            case AddTokenResult.Added a -> {
                output.warnIfNotHttps(settings.get());
                output.printToken(a.token(), settings.get(), json);
                yield 0;
            }
            case AddTokenResult.NameTaken t ->
                throw new CliException(
                        "token '" + name + "' exists already: change it with `mailadm mod-token " + name + "`");
            case AddTokenResult.SecretTaken t ->
                throw new CliException(
                        "another token uses this --token value: choose another, or leave --token out to generate one");
        };
    }
}
