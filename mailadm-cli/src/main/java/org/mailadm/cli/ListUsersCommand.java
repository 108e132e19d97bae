package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.util.Optional;
import org.mailadm.core.account.AccountListing;
import org.mailadm.core.port.Mailbox;

@Parameters(commandDescription = "List accounts, cross-checked against mailcow")
@CommandRole(Role.MAILCOW)
final class ListUsersCommand extends BaseCommand {

    @Parameter(names = "--token", description = "Only the accounts of this token")
    String token;

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<AccountListing> listing;
    private final Output output;

    @Inject
    ListUsersCommand(Lazy<AccountListing> listing, Output output) {
        this.listing = listing;
        this.output = output;
    }

    @Override
    public int run() {
        AccountListing.Listing l = listing.get().list(Optional.ofNullable(token).map(Arguments::tokenName));
        if (json) {
            ArrayNode a = output.mapper().createArrayNode();
            for (AccountListing.Entry e : l.accounts()) {
                ObjectNode o = output.accountJson(e.account());
                o.put("status", e.mailbox().isPresent() ? "ok" : "missing-in-mailcow");
                a.add(o);
            }
            for (Mailbox m : l.onlyInProvider()) {
                ObjectNode o = a.addObject();
                o.put("address", m.address().toString());
                o.put("token", m.mailadmToken().orElse(""));
                o.put("status", "only-in-mailcow");
            }
            output.printJson(a);
            return 0;
        }
        StringBuilder sb = new StringBuilder(l.accounts().size() * 40);
        for (AccountListing.Entry e : l.accounts()) {
            sb.append(e.account().address())
                    .append(" [")
                    .append(e.account().token())
                    .append(']');
            if (e.mailbox().isEmpty()) {
                sb.append(" (missing in mailcow)");
            }
            if (e.account().isDisabled()) {
                sb.append(" (disabled ").append(e.account().disabledAt().get()).append(')');
            }
            sb.append('\n');
        }
        for (Mailbox m : l.onlyInProvider()) {
            sb.append(m.address())
                    .append(" [")
                    .append(m.mailadmToken().orElse(""))
                    .append("] (created in mailcow)\n");
        }
        PrintStream out = output.out();
        out.print(sb);
        return 0;
    }
}
