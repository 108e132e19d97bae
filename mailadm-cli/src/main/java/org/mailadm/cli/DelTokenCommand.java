package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.mailadm.core.token.TokenAdmin;
import org.mailadm.core.token.TokenAdmin.DeleteTokenResult;
import org.mailadm.core.token.TokenName;

@Parameters(commandDescription = "Delete a token; one that has accounts only with --force, which deletes them too")
@CommandRole(Role.MAILCOW)
final class DelTokenCommand extends BaseCommand {

    @Parameter(description = "NAME")
    List<String> args = new ArrayList<>();

    @Parameter(names = "--force", description = "Also delete the token's accounts, their mailboxes included")
    boolean force;

    private final Lazy<TokenAdmin> admin;
    private final Output output;

    @Inject
    DelTokenCommand(Lazy<TokenAdmin> admin, Output output) {
        this.admin = admin;
        this.output = output;
    }

    @Override
    public int run() {
        TokenName name = Arguments.tokenName(Arguments.single(args, "token NAME"));
        return switch (admin.get().delete(name, force)) {
            case DeleteTokenResult.Deleted d -> {
                output.out()
                        .println("deleted token " + name
                                + (d.accountsDeleted() > 0 ? " and its " + d.accountsDeleted() + " accounts" : ""));
                yield 0;
            }
            case DeleteTokenResult.NotFound f ->
                throw new CliException("token '" + name + "' does not exist: see `mailadm list-tokens`");
            case DeleteTokenResult.HasAccounts h ->
                throw new CliException("token '" + name + "' still has " + h.accounts()
                        + " accounts: to stop new ones and let these expire, run `mailadm mod-token " + name
                        + " --maxuse 0`;"
                        + " to delete the token with its accounts and their mailboxes, run `mailadm del-token " + name
                        + " --force`");
            case DeleteTokenResult.AccountsNotDeleted a -> {
                a.failures()
                        .forEach(f -> output.err()
                                .println("not deleted: " + f.account().address() + ": " + f.detail()));
                throw new CliException(a.failures().size() + " mailboxes could not be deleted in mailcow; the token and"
                        + " those accounts are kept: run the command again later");
            }
        };
    }
}
