package org.mailadm.core.account;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.mailadm.core.account.AccountRemoval.DeleteAccountResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.Storage;

/**
 * Deletes expired accounts by the rule of {@link ExpiryPolicy}, with one provider listing and
 * batched deletions. A row is deleted only once its mailbox is gone.
 */
public final class Pruner {
    private final Storage storage;
    private final MailProvider provider;
    private final AccountRemoval removal;
    private final Clock clock;

    @Inject
    public Pruner(Storage storage, MailProvider provider, AccountRemoval removal, Clock clock) {
        this.storage = Objects.requireNonNull(storage, "storage == null");
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.removal = Objects.requireNonNull(removal, "removal == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /**
     * What a prune did (or, in a dry run, would do).
     *
     * @param deleted accounts deleted (in a dry run: that would be deleted)
     * @param failed accounts whose mailbox the provider did not delete; their rows are kept
     * @param keptUnknownLogin long-lived overdue accounts kept because the provider does not know
     *     their last login
     */
    public record PruneReport(
            boolean dryRun,
            boolean skipped,
            List<Account> deleted,
            List<DeleteAccountResult.Failed> failed,
            List<Account> keptUnknownLogin) {
        public boolean nothingToDo() {
            return deleted.isEmpty() && failed.isEmpty();
        }
    }

    /** How long a prune may hold the lease; a crashed prune blocks the next ones at most this long. */
    static final Duration LEASE = Duration.ofMinutes(30);

    /**
     * Deletes the accounts that are due (or only reports them, in a dry run). Only one prune runs at
     * a time across processes: a prune that finds another one running returns a skipped report and
     * changes nothing.
     */
    public PruneReport prune(boolean dryRun) {
        if (dryRun) {
            return run(true);
        }
        String holder = UUID.randomUUID().toString();
        if (!storage.tryLease("prune", holder, clock.instant(), LEASE)) {
            return new PruneReport(false, true, List.of(), List.of(), List.of());
        }
        try {
            return run(false);
        } finally {
            storage.releaseLease("prune", holder);
        }
    }

    private PruneReport run(boolean dryRun) {
        Instant now = clock.instant();
        List<Account> overdue = storage.listAccounts(AccountState.ACTIVE).stream()
                .filter(a -> a.isOverdue(now))
                .toList();
        if (overdue.isEmpty()) {
            return new PruneReport(dryRun, false, List.of(), List.of(), List.of());
        }
        Map<EmailAddress, Mailbox> mailboxes = provider.listMailboxes().stream()
                .collect(Collectors.toMap(Mailbox::address, Function.identity(), (x, y) -> x));
        List<Account> due = new ArrayList<>();
        List<Account> kept = new ArrayList<>();
        for (Account a : overdue) {
            Optional<Instant> lastLogin =
                    Optional.ofNullable(mailboxes.get(a.address())).flatMap(Mailbox::lastLogin);
            if (!mailboxes.containsKey(a.address()) || ExpiryPolicy.isDue(a, lastLogin, now)) {
                due.add(a);
            } else if (ExpiryPolicy.isKeptForUnknownLogin(a, lastLogin, now)) {
                kept.add(a);
            }
        }
        if (dryRun || due.isEmpty()) {
            return new PruneReport(dryRun, false, List.copyOf(due), List.of(), List.copyOf(kept));
        }
        return report(removal.removeAll(due, Optional.of(mailboxes)), kept);
    }

    private static PruneReport report(Collection<DeleteAccountResult> results, List<Account> kept) {
        List<Account> deleted = new ArrayList<>();
        List<DeleteAccountResult.Failed> failed = new ArrayList<>();
        for (DeleteAccountResult r : results) {
            switch (r) {
                case DeleteAccountResult.Deleted d -> deleted.add(d.account());
                case DeleteAccountResult.Failed f -> failed.add(f);
                case DeleteAccountResult.NotFound n -> {}
            }
        }
        return new PruneReport(false, false, List.copyOf(deleted), List.copyOf(failed), List.copyOf(kept));
    }
}
