package org.mailadm.core.account;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.Storage;

/**
 * Settles pending accounts against the provider: a pending account whose mailbox exists becomes
 * active; one whose mailbox does not exist is removed and its use given back.
 *
 * <p>Pending rows normally live for one provider call. Rows left by a crash or a lost answer are
 * settled at server start-up and on demand.
 */
public final class Reconciler {
    private final Storage storage;
    private final MailProvider provider;
    private final Clock clock;

    @Inject
    public Reconciler(Storage storage, MailProvider provider, Clock clock) {
        this.storage = Objects.requireNonNull(storage, "storage == null");
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /**
     * What reconciling did.
     *
     * @param confirmed pending accounts whose mailbox exists, now active
     * @param released pending accounts without a mailbox, removed (their use given back)
     * @param unresolved pending accounts the provider could not be asked about, left pending
     */
    public record PendingReport(
            List<EmailAddress> confirmed, List<EmailAddress> released, List<EmailAddress> unresolved) {
        public int total() {
            return confirmed.size() + released.size() + unresolved.size();
        }
    }

    /**
     * Settles pending accounts reserved at least {@code minAge} ago (so that creations in flight in
     * this or another process are left alone; at start-up, pass {@link Duration#ZERO}).
     */
    public PendingReport reconcilePending(Duration minAge) {
        Instant cutoff = clock.instant().minus(minAge);
        List<EmailAddress> confirmed = new ArrayList<>();
        List<EmailAddress> released = new ArrayList<>();
        List<EmailAddress> unresolved = new ArrayList<>();
        for (Account a : storage.listAccounts(AccountState.PENDING)) {
            if (a.createdAt().isAfter(cutoff)) {
                continue;
            }
            try {
                if (provider.findMailbox(a.address()).isPresent()) {
                    storage.confirmAccount(a.address());
                    confirmed.add(a.address());
                } else {
                    storage.releaseAccount(a.address());
                    released.add(a.address());
                }
            } catch (MailProviderException e) {
                unresolved.add(a.address());
            }
        }
        return new PendingReport(List.copyOf(confirmed), List.copyOf(released), List.copyOf(unresolved));
    }

    /** Pending accounts younger than this are creations in flight, not leftovers. */
    public static final Duration IN_FLIGHT = Duration.ofMinutes(5);

    /** How far back the audit log is searched for failed deletions. */
    static final Duration FAILURE_LOOKBACK = Duration.ofDays(30);

    /**
     * What {@link #check} found and, with fix, did.
     *
     * @param pending pending accounts older than {@link #IN_FLIGHT}; with fix, settled
     * @param withoutMailbox active accounts whose mailbox the provider no longer has; with fix, their
     *     rows are deleted (the mailbox is gone already, nothing else is lost)
     * @param untracked mailboxes tagged {@code mailadm:<token>} that mailadm has no account for;
     *     never changed (they may hold mail): delete them in mailcow, or leave them
     * @param failedDeletions accounts whose mailbox deletion failed (audit log, last 30 days) and that
     *     still exist; with fix, deleted again
     * @param fixed whether the safe repairs were made
     */
    public record Report(
            PendingReport pending,
            List<Account> withoutMailbox,
            List<Mailbox> untracked,
            List<Account> failedDeletions,
            List<AccountRemoval.DeleteAccountResult.Failed> stillFailing,
            boolean fixed) {
        public boolean clean() {
            return pending.total() == 0 && withoutMailbox.isEmpty() && untracked.isEmpty() && failedDeletions.isEmpty();
        }
    }

    /**
     * Compares mailadm's accounts with the provider's mailboxes (one listing) and, with
     * {@code fix}, repairs what is safe to repair.
     */
    public Report check(boolean fix, AccountRemoval removal, Audit audit) {
        Instant now = clock.instant();
        PendingReport pending = fix
                ? reconcilePending(IN_FLIGHT)
                : new PendingReport(
                        List.of(),
                        List.of(),
                        storage.listAccounts(AccountState.PENDING).stream()
                                .filter(a -> !a.createdAt().isAfter(now.minus(IN_FLIGHT)))
                                .map(Account::address)
                                .toList());
        Map<EmailAddress, Mailbox> mailboxes = provider.listMailboxes().stream()
                .collect(Collectors.toMap(Mailbox::address, Function.identity(), (x, y) -> x));
        List<Account> active = storage.listAccounts(AccountState.ACTIVE);
        Set<EmailAddress> known =
                storage.listAccounts().stream().map(Account::address).collect(Collectors.toSet());
        List<Account> withoutMailbox =
                active.stream().filter(a -> !mailboxes.containsKey(a.address())).toList();
        List<Mailbox> untracked = mailboxes.values().stream()
                .filter(m -> m.mailadmToken().isPresent() && !known.contains(m.address()))
                .sorted(java.util.Comparator.comparing(Mailbox::address))
                .toList();
        Set<String> failedBefore =
                storage.audit(Optional.of(now.minus(FAILURE_LOOKBACK)), Optional.empty(), 100_000).stream()
                        .filter(e -> e.action().equals("account.pruned")
                                || e.action().equals("account.deleted"))
                        .filter(e -> e.outcome().startsWith("failed"))
                        .map(AuditEvent::object)
                        .collect(Collectors.toSet());
        List<Account> failedDeletions = active.stream()
                .filter(a -> failedBefore.contains(a.address().toString()) && mailboxes.containsKey(a.address()))
                .toList();
        List<AccountRemoval.DeleteAccountResult.Failed> stillFailing = List.of();
        if (fix) {
            if (!withoutMailbox.isEmpty()) {
                storage.deleteAccounts(
                        withoutMailbox.stream().map(Account::address).toList());
                audit.recordAll(withoutMailbox.stream()
                        .map(a -> new Audit.Entry(
                                "account.forgotten", a.address().toString(), Optional.of(a.token()), "ok: no mailbox"))
                        .toList());
            }
            if (!failedDeletions.isEmpty()) {
                stillFailing = removal.removeAll(failedDeletions, Optional.of(mailboxes), "account.deleted").stream()
                        .filter(r -> r instanceof AccountRemoval.DeleteAccountResult.Failed)
                        .map(r -> (AccountRemoval.DeleteAccountResult.Failed) r)
                        .toList();
            }
        }
        return new Report(pending, withoutMailbox, untracked, failedDeletions, stillFailing, fix);
    }
}
