package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.mailadm.core.account.AccountRestore;
import org.mailadm.core.account.AccountRestore.RestoreResult;
import org.mailadm.core.account.EmailAddress;

@Parameters(
        commandDescription =
                "Reactivate an account that prune disabled (tokens with --grace); it lives a full" + " lifetime again")
@CommandRole(Role.MAILCOW)
final class RestoreCommand extends BaseCommand {

    @Parameter(description = "ADDR")
    List<String> args = new ArrayList<>();

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<AccountRestore> restore;
    private final Output output;

    @Inject
    RestoreCommand(Lazy<AccountRestore> restore, Output output) {
        this.restore = restore;
        this.output = output;
    }

    @Override
    public int run() {
        EmailAddress address = Arguments.address(Arguments.single(args, "ADDR"));
        return switch (restore.get().restore(address)) {
            case RestoreResult.Restored r -> {
                if (json) {
                    output.printJson(output.accountJson(r.account()));
                } else {
                    output.out()
                            .println("restored " + address + ": enabled in mailcow, expires "
                                    + r.account()
                                            .expiresAt()
                                            .map(Object::toString)
                                            .orElse("never"));
                }
                yield 0;
            }
            case RestoreResult.NotFound f ->
                throw new CliException(address + " is not a mailadm account (any more): prune deletes disabled"
                        + " accounts when their grace period ends; see `mailadm audit`");
            case RestoreResult.NotDisabled n -> throw new CliException(address + " is not disabled; nothing to do");
            case RestoreResult.MailboxGone g ->
                throw new CliException("mailcow no longer has the mailbox " + address
                        + "; it cannot be restored (`mailadm reconcile --fix` removes the account)");
        };
    }
}
