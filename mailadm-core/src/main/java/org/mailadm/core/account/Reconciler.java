package org.mailadm.core.account;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.AccountStore;
import org.mailadm.core.port.AuditLog;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.Mailbox;

/**
 * Brings mailadm's rows and the provider's mailboxes together, deciding nothing from absence.
 *
 * <p><b>Pending accounts</b> (a creation whose answer was lost, a process that died between the
 * mailbox and the confirmation, mailcow reporting an error although it created the mailbox) were
 * never delivered: the client got an error. Once older than the {@link InFlightWindow}, each is
 * settled by a lookup of its address: no mailbox, the row goes and the use is given back
 * ({@code account.released}); a mailbox tagged for the row's token, it is deleted and the use given
 * back ({@code account.discarded}), unless its credentials reached someone (an admin chose the
 * password), when the account becomes active ({@code account.confirmed}). A mailbox without the
 * row's tag is not mailadm's: the row goes, the mailbox stays. Every settling is audited with the
 * actor {@code reconcile}.
 *
 * <p><b>Active accounts</b> that a listing lacks are looked up one by one; only those the provider
 * says it has no mailbox for are forgotten ({@code account.forgotten}). Rows are read before the
 * listing, accounts younger than the window are left alone, and a listing that lacks a large part of
 * the live accounts is reported instead of acted on.
 */
public final class Reconciler {
    /** The audit log's actor for every settling. */
    public static final String ACTOR = "reconcile";

    private final AccountStore accounts;
    private final AuditLog log;
    private final MailProvider provider;
    private final Clock clock;
    private final String mailDomain;
    private final InFlightWindow window;
    private final AccountRemoval removal;
    private final Audit audit;

    @Inject
    public Reconciler(
            AccountStore accounts,
            AuditLog log,
            MailProvider provider,
            Clock clock,
            Settings settings,
            InFlightWindow window,
            AccountRemoval removal,
            Audit audit) {
        this.accounts = Objects.requireNonNull(accounts, "accounts == null");
        this.log = Objects.requireNonNull(log, "log == null");
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.mailDomain = settings.mailDomain();
        this.window = Objects.requireNonNull(window, "window == null");
        this.removal = Objects.requireNonNull(removal, "removal == null");
        this.audit = Objects.requireNonNull(audit, "audit == null");
    }

    /** The window within which pending accounts are left alone. */
    public InFlightWindow window() {
        return window;
    }

    /**
     * What settling pending accounts did.
     *
     * @param confirmed pending accounts whose mailbox exists and whose credentials someone has, now
     *     active
     * @param released pending accounts without a mailbox (or with a mailbox that is not mailadm's),
     *     removed, their use given back
     * @param discarded pending accounts whose credentials nobody received: mailbox deleted, row removed,
     *     use given back
     * @param unresolved pending accounts left pending: the provider could not be asked, or did not
     *     delete the mailbox
     */
    public record PendingReport(
            List<EmailAddress> confirmed,
            List<EmailAddress> released,
            List<EmailAddress> discarded,
            List<EmailAddress> unresolved) {
        public int total() {
            return confirmed.size() + released.size() + discarded.size() + unresolved.size();
        }

        static PendingReport none() {
            return new PendingReport(List.of(), List.of(), List.of(), List.of());
        }
    }

    /**
     * A pending account as reconcile found it.
     *
     * @param age how long ago it was reserved
     * @param inFlight true while it is younger than the window: its creation may still be running
     * @param credentialsKnown true when an admin chose its password: settling keeps its mailbox
     */
    public record Pending(Account account, Duration age, boolean inFlight, boolean credentialsKnown) {}

    /**
     * Settles the pending accounts older than the in-flight window (the server does this at start-up
     * and in the background; {@code reconcile --fix} on demand).
     */
    public PendingReport settlePending() {
        return new PendingSettlement(accounts, provider, clock, window, audit).settle();
    }

    private AuditEvent event(Account a, AuditAction action, AuditOutcome outcome) {
        return audit.event(ACTOR, action, a.address().toString(), Optional.of(a.token()), outcome);
    }

    /** How far back the audit log is searched for failed deletions. */
    static final Duration FAILURE_LOOKBACK = Duration.ofDays(30);

    /**
     * What {@link #check} found and, with fix, did.
     *
     * @param pending pending accounts of every age, with their age, as found before settling
     * @param settled with fix, what settling the pending accounts older than the window did
     * @param implausibleListing why the listing was not trusted to show absences, if it was not;
     *     then {@code withoutMailbox} is empty and nothing was forgotten
     * @param withoutMailbox active accounts whose mailbox a lookup of its own found missing; with fix,
     *     their rows are deleted (the mailbox is gone already, nothing else is lost)
     * @param unverified active accounts missing from the listing that could not be looked up; kept
     * @param untracked mailboxes of the mail domain tagged {@code mailadm:<token>} that mailadm has no
     *     account for; never changed (they may hold mail): delete them in mailcow, or leave them
     * @param failedDeletions accounts whose mailbox deletion failed (audit log, last 30 days) and that
     *     still exist; with fix, deleted again
     * @param fixed whether the safe repairs were made
     */
    public record Report(
            List<Pending> pending,
            PendingReport settled,
            Optional<String> implausibleListing,
            List<Account> withoutMailbox,
            List<Account> unverified,
            List<Mailbox> untracked,
            List<Account> failedDeletions,
            List<AccountRemoval.DeleteAccountResult.Failed> stillFailing,
            boolean fixed) {
        /** Pending accounts past the window that are still pending after this run. */
        public List<Pending> leftPending() {
            Set<EmailAddress> settledNow = new HashSet<>();
            settledNow.addAll(settled.confirmed());
            settledNow.addAll(settled.released());
            settledNow.addAll(settled.discarded());
            return pending.stream()
                    .filter(p ->
                            !p.inFlight() && !settledNow.contains(p.account().address()))
                    .toList();
        }

        /** True when nothing needs a person or a {@code --fix}: creations in flight do not count. */
        public boolean clean() {
            return leftPending().isEmpty()
                    && implausibleListing.isEmpty()
                    && (fixed || withoutMailbox.isEmpty())
                    && unverified.isEmpty()
                    && untracked.isEmpty()
                    && (fixed ? stillFailing.isEmpty() : failedDeletions.isEmpty());
        }
    }

    /**
     * Compares mailadm's accounts with the provider's mailboxes of the mail domain (rows first, then
     * one listing, then a lookup per absence) and, with {@code fix}, repairs what is safe to repair.
     *
     * @throws MailProviderException when the provider cannot list its mailboxes
     */
    public Report check(boolean fix) {
        Instant now = clock.instant();
        List<Pending> pending = accounts.listPending().stream()
                .map(p -> new Pending(
                        p.account(),
                        Duration.between(p.account().createdAt(), now),
                        window.holds(p.account(), now),
                        p.credentialsKnown()))
                .toList();
        PendingReport settled = fix ? settlePending() : PendingReport.none();
        // Rows before the listing: a mailbox created after the listing cannot look like a missing one.
        List<Account> live = accounts.listAccounts(AccountState.ACTIVE).stream()
                .filter(a -> !window.holds(a, now))
                .toList();
        MailboxSnapshot snapshot = MailboxSnapshot.list(provider, mailDomain);
        Optional<String> implausible = snapshot.implausibility(live);
        List<Account> withoutMailbox = List.of();
        List<Account> unverified = List.of();
        if (implausible.isEmpty()) {
            List<Account> unlisted =
                    live.stream().filter(a -> !snapshot.shows(a.address())).toList();
            MailboxSnapshot.Absences lookedUp = MailboxSnapshot.confirmAbsent(
                    provider, unlisted.stream().map(Account::address).toList());
            withoutMailbox = unlisted.stream()
                    .filter(a -> lookedUp.gone().contains(a.address()))
                    .toList();
            unverified = unlisted.stream()
                    .filter(a -> lookedUp.unknown().containsKey(a.address()))
                    .toList();
        }
        List<Mailbox> untracked = untracked(snapshot);
        Set<String> failedBefore =
                log.audit(Optional.of(now.minus(FAILURE_LOOKBACK)), Optional.empty(), 100_000).stream()
                        .filter(e ->
                                e.action() == AuditAction.ACCOUNT_PRUNED || e.action() == AuditAction.ACCOUNT_DELETED)
                        .filter(e -> e.outcome().result() == AuditOutcome.Result.FAILED)
                        .map(AuditEvent::object)
                        .collect(Collectors.toSet());
        List<Account> failedDeletions = live.stream()
                .filter(a -> failedBefore.contains(a.address().toString()) && snapshot.shows(a.address()))
                .toList();
        List<AccountRemoval.DeleteAccountResult.Failed> stillFailing = List.of();
        if (fix) {
            if (!withoutMailbox.isEmpty()) {
                accounts.deleteAccounts(
                        withoutMailbox.stream().map(Account::address).toList());
                log.recordAudit(withoutMailbox.stream()
                        .map(a -> event(
                                a,
                                AuditAction.ACCOUNT_FORGOTTEN,
                                AuditOutcome.ok("mailcow has no such mailbox (looked up)")))
                        .toList());
            }
            if (!failedDeletions.isEmpty()) {
                stillFailing = removal.removeAll(failedDeletions, Set.of(), AuditAction.ACCOUNT_DELETED).stream()
                        .filter(r -> r instanceof AccountRemoval.DeleteAccountResult.Failed)
                        .map(r -> (AccountRemoval.DeleteAccountResult.Failed) r)
                        .toList();
            }
        }
        return new Report(
                pending,
                settled,
                implausible,
                withoutMailbox,
                unverified,
                untracked,
                failedDeletions,
                stillFailing,
                fix);
    }

    /**
     * Tagged mailboxes without a row. The rows were read before the listing, so a mailbox created
     * since has a row now: each candidate is checked against the rows once more.
     */
    private List<Mailbox> untracked(MailboxSnapshot snapshot) {
        Set<EmailAddress> known =
                accounts.listAccounts().stream().map(Account::address).collect(Collectors.toSet());
        return snapshot.mailboxes().stream()
                .filter(m -> m.mailadmToken().isPresent() && !known.contains(m.address()))
                .filter(m -> accounts.findAccount(m.address()).isEmpty())
                .sorted(Comparator.comparing(Mailbox::address))
                .toList();
    }
}
