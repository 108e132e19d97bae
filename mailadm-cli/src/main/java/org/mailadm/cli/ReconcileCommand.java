package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dagger.Lazy;
import jakarta.inject.Inject;
import java.io.PrintStream;
import java.time.Duration;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.account.Reconciler;
import org.mailadm.core.port.Mailbox;

@Parameters(
        commandDescription =
                "Compare mailadm's accounts with mailcow's mailboxes; --fix repairs what is safe to repair")
@CommandRole(Role.MAILCOW)
final class ReconcileCommand extends BaseCommand {

    @Parameter(
            names = "--fix",
            description = "Settle interrupted creations, drop rows whose mailbox mailcow says is gone, retry"
                    + " failed deletions (untracked mailboxes are never touched)")
    boolean fix;

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<Reconciler> reconciler;
    private final Output output;

    @Inject
    ReconcileCommand(Lazy<Reconciler> reconciler, Output output) {
        this.reconciler = reconciler;
        this.output = output;
    }

    @Override
    public int run() {
        Reconciler.Report r = reconciler.get().check(fix);
        Duration window = reconciler.get().window().duration();
        if (json) {
            printJson(r);
            return exitCode(r);
        }
        PrintStream out = output.out();
        for (Reconciler.Pending p : r.pending()) {
            out.println("pending " + p.account().address() + " [" + p.account().token() + "], " + age(p.age())
                    + " old: " + pendingFate(r, p, window));
        }
        r.implausibleListing().ifPresent(why -> output.err().println("warning: " + why));
        for (Account a : r.withoutMailbox()) {
            out.println("no mailbox " + a.address() + " [" + a.token() + "]: gone from mailcow"
                    + (fix ? "; row removed" : "; --fix removes the row"));
        }
        for (Account a : r.unverified()) {
            out.println("unverified " + a.address() + " [" + a.token() + "]: missing from mailcow's list, and mailcow"
                    + " could not be asked about it; kept");
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
        long inFlight =
                r.pending().stream().filter(Reconciler.Pending::inFlight).count();
        if (r.clean()) {
            out.println(
                    inFlight == 0
                            ? "mailadm and mailcow agree"
                            : "nothing to repair now; " + Output.count(inFlight, "pending account")
                                    + " younger than " + age(window)
                                    + " (in flight, or interrupted just now): run reconcile again later");
        } else if (fix || !r.untracked().isEmpty()) {
            out.println((fix ? "repaired what is safe" : "")
                    + (fix && !r.untracked().isEmpty() ? "; " : "")
                    + (r.untracked().isEmpty()
                            ? ""
                            : Output.count(r.untracked().size(), "untracked mailbox") + " left alone"));
        }
        return exitCode(r);
    }

    /** What became of a pending account, or what --fix would do with it. */
    private static String pendingFate(Reconciler.Report r, Reconciler.Pending p, Duration window) {
        EmailAddress a = p.account().address();
        if (p.inFlight()) {
            return "a creation in flight (younger than " + age(window) + "); left alone";
        }
        if (r.settled().confirmed().contains(a)) {
            return "its mailbox exists and the admin chose its password; now active";
        }
        if (r.settled().released().contains(a)) {
            return "no mailbox of mailadm's; removed, its use given back";
        }
        if (r.settled().discarded().contains(a)) {
            return "nobody received its credentials; mailbox deleted, its use given back";
        }
        if (r.fixed()) {
            return "mailcow could not be asked, or did not delete its mailbox; left for the next reconcile";
        }
        return p.credentialsKnown()
                ? "its creation was interrupted; the admin chose its password, so --fix keeps it if its mailbox"
                        + " exists (else removes it and gives the use back)"
                : "its creation was interrupted and nobody received its credentials; --fix deletes its mailbox (if"
                        + " any) and gives the use back";
    }

    /** An age an operator reads at a glance: 42 s, 5 min, 3 h, 2 days. */
    static String age(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 120) {
            return s + " s";
        }
        if (s < 2 * 3600) {
            return s / 60 + " min";
        }
        if (s < 2 * 86_400) {
            return s / 3600 + " h";
        }
        return s / 86_400 + " days";
    }

    private void printJson(Reconciler.Report r) {
        ObjectNode o = output.mapper().createObjectNode();
        o.put("fixed", r.fixed());
        ArrayNode pending = o.putArray("pending");
        r.pending()
                .forEach(p -> pending.addObject()
                        .put("address", p.account().address().toString())
                        .put("token", p.account().token().value())
                        .put("age_seconds", p.age().toSeconds())
                        .put("in_flight", p.inFlight()));
        ArrayNode confirmed = o.putArray("pending_confirmed");
        r.settled().confirmed().forEach(a -> confirmed.add(a.toString()));
        ArrayNode released = o.putArray("pending_released");
        r.settled().released().forEach(a -> released.add(a.toString()));
        ArrayNode discarded = o.putArray("pending_discarded");
        r.settled().discarded().forEach(a -> discarded.add(a.toString()));
        r.implausibleListing().ifPresent(why -> o.put("implausible_listing", why));
        ArrayNode without = o.putArray("without_mailbox");
        r.withoutMailbox().forEach(a -> without.add(output.accountJson(a)));
        ArrayNode unverified = o.putArray("unverified");
        r.unverified().forEach(a -> unverified.add(output.accountJson(a)));
        ArrayNode untracked = o.putArray("untracked_mailboxes");
        r.untracked()
                .forEach(m -> untracked
                        .addObject()
                        .put("address", m.address().toString())
                        .put("token", m.mailadmToken().orElse("")));
        ArrayNode failed = o.putArray("failed_deletions");
        r.failedDeletions().forEach(a -> failed.add(output.accountJson(a)));
        ArrayNode still = o.putArray("still_failing");
        r.stillFailing().forEach(f -> still.add(output.accountJson(f.account()).put("reason", f.detail())));
        output.printJson(o);
    }

    /** 0 when nothing is left to do by hand or by --fix, 1 otherwise (for cron and monitoring). */
    private static int exitCode(Reconciler.Report r) {
        return r.clean() ? 0 : 1;
    }
}
