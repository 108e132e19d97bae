package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dagger.Lazy;
import jakarta.inject.Inject;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.PruneReport;
import org.mailadm.core.account.Pruner;

@Parameters(commandDescription = "Delete expired accounts (run hourly from cron or a systemd timer)")
@CommandRole(Role.MAILCOW)
final class PruneCommand extends BaseCommand {

    @Parameter(names = "--dryrun", description = "Only show what would be deleted")
    boolean dryRun;

    @Parameter(names = "--json", description = "Print JSON for scripts")
    boolean json;

    private final Lazy<Pruner> pruner;
    private final Output output;

    @Inject
    PruneCommand(Lazy<Pruner> pruner, Output output) {
        this.pruner = pruner;
        this.output = output;
    }

    @Override
    public int run() {
        PruneReport r = pruner.get().prune(dryRun);
        if (json) {
            ObjectNode o = output.mapper().createObjectNode();
            o.put("dryrun", r.dryRun());
            o.put("skipped", r.skipped());
            r.aborted().ifPresent(why -> o.put("aborted", why));
            ArrayNode deleted = o.putArray(r.dryRun() ? "would_delete" : "deleted");
            r.deleted().forEach(a -> deleted.add(output.accountJson(a)));
            ArrayNode failed = o.putArray("failed");
            r.failed().forEach(f -> failed.add(output.accountJson(f.account()).put("reason", f.detail())));
            ArrayNode kept = o.putArray("kept_unknown_login");
            r.keptUnknownLogin().forEach(a -> kept.add(output.accountJson(a)));
            ArrayNode disabled = o.putArray(r.dryRun() ? "would_disable" : "disabled");
            r.disabled().forEach(a -> disabled.add(output.accountJson(a)));
            ArrayNode inGrace = o.putArray("in_grace");
            r.inGrace().forEach(a -> inGrace.add(output.accountJson(a)));
            ArrayNode disableFailed = o.putArray("disable_failed");
            r.disableFailed().forEach(a -> disableFailed.add(output.accountJson(a)));
            output.printJson(o);
            return r.incomplete() ? 1 : 0;
        }
        if (r.skipped()) {
            output.out().println("another prune is running; nothing done");
            return 0;
        }
        if (r.aborted().isPresent()) {
            output.err()
                    .println("prune " + (r.dryRun() ? "would stop" : "stopped") + " before deleting anything: "
                            + r.aborted().get() + ". Check mailcow (its mailbox list, its logs), then run"
                            + " `mailadm reconcile` to compare");
            return 1;
        }
        for (Account a : r.deleted()) {
            output.out()
                    .println((r.dryRun() ? "would delete " : "pruned ") + a.address() + " (token " + a.token() + ")");
        }
        for (var f : r.failed()) {
            output.err()
                    .println("not pruned " + f.account().address() + " (token "
                            + f.account().token() + "): " + f.detail() + "; kept, will be retried at the next prune");
        }
        for (Account a : r.disabled()) {
            output.out()
                    .println((r.dryRun() ? "would disable " : "disabled ") + a.address() + " (token " + a.token()
                            + "): deleted after its grace period; `mailadm restore " + a.address() + "` undoes it");
        }
        for (Account a : r.disableFailed()) {
            output.err()
                    .println("not disabled " + a.address() + " (token " + a.token()
                            + "): mailcow did not disable it; kept, will be retried at the next prune");
        }
        for (Account a : r.keptUnknownLogin()) {
            output.out()
                    .println("kept " + a.address() + " (token " + a.token() + "): expired, but mailcow does not report"
                            + " its last login; delete it with `mailadm del-user " + a.address() + "` if it is unused");
        }
        if (r.nothingToDo()) {
            output.out().println("nothing to prune");
        } else {
            output.out()
                    .println((r.dryRun() ? "would prune " : "pruned ")
                            + r.deleted().size() + " accounts"
                            + (r.disabled().isEmpty()
                                    ? ""
                                    : ", " + (r.dryRun() ? "would disable " : "disabled ")
                                            + r.disabled().size())
                            + (r.failed().isEmpty() ? "" : ", " + r.failed().size() + " could not be deleted")
                            + (r.disableFailed().isEmpty()
                                    ? ""
                                    : ", " + r.disableFailed().size() + " could not be disabled"));
        }
        if (!r.inGrace().isEmpty()) {
            output.out().println(r.inGrace().size() + " disabled accounts wait for the end of their grace period");
        }
        return r.incomplete() ? 1 : 0;
    }
}
