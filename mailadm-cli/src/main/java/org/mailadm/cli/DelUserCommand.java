package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.mailadm.core.account.AccountRemoval;
import org.mailadm.core.account.AccountRemoval.DeleteAccountResult;
import org.mailadm.core.account.EmailAddress;

@Parameters(commandDescription = "Delete an account: its mailbox in mailcow, then its row in the database")
@CommandRole(Role.MAILCOW)
final class DelUserCommand extends BaseCommand {

    @Parameter(description = "ADDR")
    List<String> args = new ArrayList<>();

    private final Lazy<AccountRemoval> removal;
    private final Output output;

    @Inject
    DelUserCommand(Lazy<AccountRemoval> removal, Output output) {
        this.removal = removal;
        this.output = output;
    }

    @Override
    public int run() {
        EmailAddress address = Arguments.address(Arguments.single(args, "ADDR"));
        return switch (removal.get().delete(address)) {
            case DeleteAccountResult.Deleted d -> {
                output.out()
                        .println("deleted user " + address
                                + (d.mailboxExisted() ? "" : " (its mailbox was already gone)"));
                yield 0;
            }
            case DeleteAccountResult.NotFound f ->
                throw new CliException("failed to delete e-mail account " + address
                        + ": it does not exist in mailadm (see `mailadm list-users`)");
            case DeleteAccountResult.Failed f ->
                throw new CliException("mailcow did not delete " + address + " (" + f.detail()
                        + "); the account is kept: run the command again later");
        };
    }
}
