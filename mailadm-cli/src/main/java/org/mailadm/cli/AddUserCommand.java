package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.mailadm.core.account.AccountCreation;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.account.Password;
import org.mailadm.core.token.TokenName;

@Parameters(commandDescription = "Create an account in mailcow and the database")
final class AddUserCommand extends BaseCommand {

    @Parameter(description = "ADDR")
    List<String> args = new ArrayList<>();

    @Parameter(names = "--password", description = "The password [default: generated, 160 bits]")
    String password;

    @Parameter(
            names = "--token",
            description =
                    "The token to count the account against [default: the token whose prefix matches ADDR, longest first]")
    String token;

    @Parameter(names = "--dryrun", description = "Only show what would be created")
    boolean dryRun;

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<AccountCreation> creation;
    private final Output output;

    @Inject
    AddUserCommand(Lazy<AccountCreation> creation, Output output) {
        this.creation = creation;
        this.output = output;
    }

    @Override
    public int run() {
        EmailAddress address = Arguments.address(Arguments.single(args, "ADDR"));
        Optional<TokenName> t = Optional.ofNullable(token).map(Arguments::tokenName);
        Optional<Password> pw;
        try {
            pw = Optional.ofNullable(password).map(Password::new);
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid --password: " + e.getMessage());
        }
        return switch (creation.get().createForAdmin(address, t, pw, dryRun)) {
            case CreateAccountResult.Created c -> {
                print(c.account().address(), c.password(), c.token().name(), false);
                yield 0;
            }
            case CreateAccountResult.WouldCreate w -> {
                print(w.address(), w.password(), w.token().name(), true);
                yield 0;
            }
            case CreateAccountResult.TokenNotFound f ->
                throw new CliException("token '" + token + "' does not exist: see `mailadm list-tokens`");
            case CreateAccountResult.TokenExhausted x ->
                throw new CliException("token '" + x.token().name() + "' has"
                        + " created " + x.token().useCount() + " of "
                        + x.token().maxUse() + " accounts: raise the limit with"
                        + " `mailadm mod-token " + x.token().name() + " --maxuse N`");
            case CreateAccountResult.AddressTaken x ->
                throw new CliException(x.address() + " exists already in "
                        + (x.where() == AccountCreation.Where.STORAGE ? "mailadm" : "mailcow"));
            case CreateAccountResult.ForeignDomain f ->
                throw new CliException(
                        "address " + f.address() + " does not use the mail domain '" + f.mailDomain() + "'");
            case CreateAccountResult.NoMatchingToken m ->
                throw new CliException("no token's prefix matches " + m.address() + ": name one with --token");
            case CreateAccountResult.ProviderRejected r ->
                throw new CliException("mailcow refused to create " + address + " ("
                        + r.reason().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ": " + r.detail() + ")");
        };
    }

    private void print(EmailAddress address, Password pw, TokenName tokenName, boolean wouldCreate) {
        if (json) {
            ObjectNode o = output.mapper().createObjectNode();
            o.put("address", address.toString());
            o.put("password", pw.value());
            o.put("token", tokenName.value());
            o.put("dryrun", wouldCreate);
            output.printJson(o);
        } else if (wouldCreate) {
            output.out().println("Would create " + address + " with password " + pw.value());
        } else {
            output.out().println("Created " + address + " with password: " + pw.value());
        }
    }
}
