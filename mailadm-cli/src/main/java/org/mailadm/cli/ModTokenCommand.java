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
import org.mailadm.core.token.TokenAdmin;
import org.mailadm.core.token.TokenAdmin.ModifyTokenResult;
import org.mailadm.core.token.TokenName;

@Parameters(commandDescription = "Change a token's settings; its use count and secret stay")
@CommandRole(Role.LOCAL)
final class ModTokenCommand extends BaseCommand {

    @Parameter(description = "NAME")
    List<String> args = new ArrayList<>();

    @Parameter(names = "--expiry", description = "Account lifetime: 30s, 12h, 1d, 2w, 1y or never")
    String expiry;

    @Parameter(names = "--maxuse", description = "How many accounts the token may create")
    Integer maxUse;

    @Parameter(names = "--prefix", description = "Address prefix of created accounts")
    String prefix;

    @ParametersDelegate
    TokenPolicyOptions policy = new TokenPolicyOptions();

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<TokenAdmin> admin;
    private final Lazy<Settings> settings;
    private final Output output;

    @Inject
    ModTokenCommand(Lazy<TokenAdmin> admin, Lazy<Settings> settings, Output output) {
        this.admin = admin;
        this.settings = settings;
        this.output = output;
    }

    @Override
    public int run() {
        TokenName name = Arguments.tokenName(Arguments.single(args, "token NAME"));
        if (maxUse != null && maxUse < 0) {
            throw new CliException("--maxuse must not be negative");
        }
        var result = admin.get()
                .modify(
                        name,
                        Optional.ofNullable(expiry).map(Expiry::parse),
                        Optional.ofNullable(prefix),
                        Optional.ofNullable(maxUse),
                        policy.change());
        return switch (result) {
            case ModifyTokenResult.Modified m -> {
                output.warnIfNotHttps(settings.get());
                output.printToken(m.token(), settings.get(), json);
                yield 0;
            }
            case ModifyTokenResult.NotFound f ->
                throw new CliException("token '" + name + "' does not exist: see `mailadm list-tokens`");
        };
    }
}
