package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.io.PrintStream;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountRemoval;
import org.mailadm.core.account.Reconciler;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.port.Mailbox;

@Parameters(
        commandDescription =
                "Compare mailadm's accounts with mailcow's mailboxes; --fix repairs what is safe to repair")
final class ReconcileCommand extends BaseCommand {

    @Parameter(
            names = "--fix",
            description = "Settle old pending accounts, drop rows whose mailbox is gone, retry"
                    + " failed deletions (untracked mailboxes are never touched)")
    boolean fix;

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<Reconciler> reconciler;
    private final Lazy<AccountRemoval> removal;
    private final Lazy<Audit> audit;
    private final Output output;

    @Inject
    ReconcileCommand(Lazy<Reconciler> reconciler, Lazy<AccountRemoval> removal, Lazy<Audit> audit, Output output) {
        this.reconciler = reconciler;
        this.removal = removal;
        this.audit = audit;
        this.output = output;
    }

    @Override
    public int run() {
        Reconciler.Report r = reconciler.get().check(fix, removal.get(), audit.get());
        if (json) {
            ObjectNode o = output.mapper().createObjectNode();
            o.put("fixed", r.fixed());
            ArrayNode pending = o.putArray("pending");
            r.pending().unresolved().forEach(a -> pending.add(a.toString()));
            ArrayNode confirmed = o.putArray("pending_confirmed");
            r.pending().confirmed().forEach(a -> confirmed.add(a.toString()));
            ArrayNode released = o.putArray("pending_released");
            r.pending().released().forEach(a -> released.add(a.toString()));
            ArrayNode without = o.putArray("without_mailbox");
            r.withoutMailbox().forEach(a -> without.add(output.accountJson(a)));
            ArrayNode untracked = o.putArray("untracked_mailboxes");
            r.untracked()
                    .forEach(m -> untracked
                            .addObject()
                            .put("address", m.address().toString())
                            .put("token", m.mailadmToken().orElse("")));
            ArrayNode failed = o.putArray("failed_deletions");
            r.failedDeletions().forEach(a -> failed.add(output.accountJson(a)));
            ArrayNode still = o.putArray("still_failing");
            r.stillFailing()
                    .forEach(f -> still.add(output.accountJson(f.account()).put("reason", f.detail())));
            output.printJson(o);
            return exitCode(r);
        }
        PrintStream out = output.out();
        r.pending().confirmed().forEach(a -> out.println("pending " + a + ": its mailbox exists; now active"));
        r.pending().released().forEach(a -> out.println("pending " + a + ": no mailbox; removed, its use given back"));
        r.pending()
                .unresolved()
                .forEach(a -> out.println("pending " + a + ": creation interrupted"
                        + (fix ? "; mailcow could not be asked, left for later" : "; --fix settles it")));
        for (Account a : r.withoutMailbox()) {
            out.println("no mailbox " + a.address() + " [" + a.token() + "]: gone from mailcow"
                    + (fix ? "; row removed" : "; --fix removes the row"));
        }
        for (Mailbox m : r.untracked()) {
            out.println("untracked " + m.address() + " [" + m.mailadmToken().orElse("") + "]: tagged by mailadm, no"
                    + " account; left alone (it may hold mail): delete it in mailcow if it is unused");
        }
        for (Account a : r.failedDeletions()) {
            out.println("failed deletion " + a.address() + " [" + a.token() + "]"
                    + (fix ? "" : ": an earlier deletion failed; --fix tries again"));
        }
        r.stillFailing()
                .forEach(f ->
                        output.err().println("still not deleted " + f.account().address() + ": " + f.detail()));
        out.println(
                r.clean()
                        ? "mailadm and mailcow agree"
                        : (fix ? "repaired what is safe; " : "")
                                + (r.untracked().isEmpty()
                                        ? ""
                                        : r.untracked().size() + " untracked mailboxes left alone"));
        return exitCode(r);
    }

    /** 0 when nothing is left to do by hand, 1 otherwise (for cron and monitoring). */
    private int exitCode(Reconciler.Report r) {
        boolean left = !r.untracked().isEmpty()
                || !r.stillFailing().isEmpty()
                || (fix ? !r.pending().unresolved().isEmpty() : !r.clean());
        return left ? 1 : 0;
    }
}
