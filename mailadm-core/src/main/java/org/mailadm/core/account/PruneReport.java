package org.mailadm.core.account;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.mailadm.core.account.AccountRemoval.DeleteAccountResult;

/**
 * What a prune did (or, in a dry run, would do).
 *
 * @param aborted why the run stopped before changing anything (an implausible listing), or empty
 * @param deleted accounts deleted (in a dry run: that would be deleted)
 * @param failed accounts whose mailbox the provider did not delete, or that could not be looked
 *     up; their rows are kept
 * @param keptUnknownLogin long-lived overdue accounts kept because the provider does not know
 *     their last login
 * @param disabled accounts of tokens with a grace period whose mailbox was disabled now (in a
 *     dry run: would be); they are deleted when the grace period has passed
 * @param inGrace accounts disabled earlier whose grace period still runs
 * @param disableFailed accounts whose mailbox the provider did not disable; kept as they were
 */
public record PruneReport(
        boolean dryRun,
        boolean skipped,
        Optional<String> aborted,
        List<Account> deleted,
        List<DeleteAccountResult.Failed> failed,
        List<Account> keptUnknownLogin,
        List<Account> disabled,
        List<Account> inGrace,
        List<Account> disableFailed) {
    public boolean nothingToDo() {
        return aborted.isEmpty()
                && deleted.isEmpty()
                && failed.isEmpty()
                && disabled.isEmpty()
                && disableFailed.isEmpty();
    }

    /** True when something was left undone that the next run retries. */
    public boolean incomplete() {
        return aborted.isPresent() || !failed.isEmpty() || !disableFailed.isEmpty();
    }

    static PruneReport empty(boolean dryRun, boolean skipped) {
        return new PruneReport(
                dryRun, skipped, Optional.empty(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    static PruneReport aborted(boolean dryRun, String why) {
        return new PruneReport(
                dryRun, false, Optional.of(why), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    static PruneReport of(
            Collection<DeleteAccountResult> results,
            List<DeleteAccountResult.Failed> unverified,
            List<Account> kept,
            List<Account> disabled,
            List<Account> inGrace,
            List<Account> disableFailed) {
        List<Account> deleted = new ArrayList<>();
        List<DeleteAccountResult.Failed> failed = new ArrayList<>(unverified);
        for (DeleteAccountResult r : results) {
            switch (r) {
                case DeleteAccountResult.Deleted d -> deleted.add(d.account());
                case DeleteAccountResult.Failed f -> failed.add(f);
                case DeleteAccountResult.NotFound n -> {}
            }
        }
        return new PruneReport(
                false,
                false,
                Optional.empty(),
                List.copyOf(deleted),
                List.copyOf(failed),
                List.copyOf(kept),
                List.copyOf(disabled),
                List.copyOf(inGrace),
                List.copyOf(disableFailed));
    }
}
