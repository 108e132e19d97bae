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
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.mailadm.core.account.AccountRemoval.DeleteAccountResult;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.AccountStore;
import org.mailadm.core.port.LeaseStore;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.TokenStore;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;

/**
 * Deletes expired accounts by the rule of {@link ExpiryPolicy}, with one provider listing and
 * batched deletions. A row is deleted only on proof that its mailbox is gone: an overdue account
 * missing from the listing is looked up on its own ({@link MailboxSnapshot}), and a listing that lacks
 * a large part of the live accounts aborts the run before anything is deleted.
 */
public final class Pruner {
    private final AccountStore accounts;
    private final TokenStore tokens;
    private final LeaseStore leases;
    private final MailProvider provider;
    private final AccountRemoval removal;
    private final Clock clock;
    private final Audit audit;
    private final String mailDomain;
    private final InFlightWindow window;

    @Inject
    public Pruner(
            AccountStore accounts,
            TokenStore tokens,
            LeaseStore leases,
            MailProvider provider,
            AccountRemoval removal,
            Clock clock,
            Audit audit,
            Settings settings,
            InFlightWindow window) {
        this.accounts = Objects.requireNonNull(accounts, "accounts == null");
        this.tokens = Objects.requireNonNull(tokens, "tokens == null");
        this.leases = Objects.requireNonNull(leases, "leases == null");
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.removal = Objects.requireNonNull(removal, "removal == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.audit = Objects.requireNonNull(audit, "audit == null");
        this.mailDomain = settings.mailDomain();
        this.window = Objects.requireNonNull(window, "window == null");
    }

    /** How long a prune may hold the lease; a crashed prune blocks the next ones at most this long. */
    static final Duration LEASE = Duration.ofMinutes(30);

    /**
     * Deletes the accounts that are due (or only reports them, in a dry run). Only one prune runs at
     * a time across processes: a prune that finds another one running returns a skipped report and
     * changes nothing. A run that fails half-way (mailcow or the database) is recorded in the audit
     * log as aborted before the exception goes on.
     *
     * @throws MailProviderException when mailcow cannot list its mailboxes
     */
    public PruneReport prune(boolean dryRun) {
        if (dryRun) {
            return run(true);
        }
        String holder = UUID.randomUUID().toString();
        if (!leases.tryLease("prune", holder, clock.instant(), LEASE)) {
            audit.record(AuditAction.PRUNE_RUN, "", Optional.empty(), AuditOutcome.skipped("another prune is running"));
            return PruneReport.empty(false, true);
        }
        try {
            return run(false);
        } catch (RuntimeException e) {
            recordAborted(e.getMessage());
            throw e;
        } finally {
            leases.releaseLease("prune", holder);
        }
    }

    private void recordAborted(String why) {
        try {
            audit.record(AuditAction.PRUNE_RUN, "", Optional.empty(), AuditOutcome.aborted(why));
        } catch (RuntimeException e) {
            // the database itself failed; the exception on its way says so
        }
    }

    private PruneReport run(boolean dryRun) {
        Instant now = clock.instant();
        // The rows first, the listing second: a mailbox can only be missing from a listing taken later.
        List<Account> active = accounts.listAccounts(AccountState.ACTIVE);
        List<Account> overdue = active.stream()
                .filter(a -> a.isOverdue(now) && !window.holds(a, now))
                .toList();
        if (overdue.isEmpty()) {
            if (!dryRun) { // every run is in the audit log, so an operator sees that cron runs it
                audit.record(
                        AuditAction.PRUNE_RUN,
                        "",
                        Optional.empty(),
                        AuditOutcome.ok("deleted 0, failed 0, disabled 0, in grace 0"));
            }
            return PruneReport.empty(dryRun, false);
        }
        MailboxSnapshot snapshot = MailboxSnapshot.list(provider, mailDomain);
        Optional<String> implausible = snapshot.implausibility(
                active.stream().filter(a -> !window.holds(a, now)).toList());
        if (implausible.isPresent()) {
            if (!dryRun) {
                audit.record(AuditAction.PRUNE_RUN, "", Optional.empty(), AuditOutcome.aborted(implausible.get()));
            }
            return PruneReport.aborted(dryRun, implausible.get());
        }
        MailboxSnapshot.Absences lookedUp = MailboxSnapshot.confirmAbsent(
                provider,
                overdue.stream()
                        .map(Account::address)
                        .filter(a -> !snapshot.shows(a))
                        .toList());
        Map<TokenName, Token> tokens =
                this.tokens.listTokens().stream().collect(Collectors.toMap(Token::name, Function.identity()));
        List<Account> toDelete = new ArrayList<>();
        List<Account> toDisable = new ArrayList<>();
        List<Account> inGrace = new ArrayList<>();
        List<Account> kept = new ArrayList<>();
        List<DeleteAccountResult.Failed> unverified = new ArrayList<>();
        for (Account a : overdue) {
            if (lookedUp.unknown().containsKey(a.address())) {
                unverified.add(
                        new DeleteAccountResult.Failed(a, lookedUp.unknown().get(a.address())));
                continue;
            }
            Mailbox mailbox =
                    snapshot.find(a.address()).orElse(lookedUp.present().get(a.address()));
            Optional<Instant> lastLogin = Optional.ofNullable(mailbox).flatMap(Mailbox::lastLogin);
            if (mailbox != null && !ExpiryPolicy.isDue(a, lastLogin, now)) {
                if (ExpiryPolicy.isKeptForUnknownLogin(a, lastLogin, now)) {
                    kept.add(a);
                }
                continue;
            }
            Optional<Expiry> grace = Optional.ofNullable(tokens.get(a.token()))
                    .flatMap(t -> t.policy().grace());
            if (mailbox == null || grace.isEmpty()) {
                toDelete.add(a);
            } else if (a.disabledAt().isEmpty()) {
                toDisable.add(a);
            } else if (!a.disabledAt().get().plus(grace.get().duration()).isAfter(now)) {
                toDelete.add(a);
            } else {
                inGrace.add(a);
            }
        }
        if (dryRun) {
            return new PruneReport(
                    true,
                    false,
                    Optional.empty(),
                    List.copyOf(toDelete),
                    List.copyOf(unverified),
                    List.copyOf(kept),
                    List.copyOf(toDisable),
                    List.copyOf(inGrace),
                    List.of());
        }
        List<Account> disabled = new ArrayList<>();
        List<Account> disableFailed = new ArrayList<>();
        List<Audit.Entry> entries = new ArrayList<>();
        for (Account a : toDisable) {
            AuditOutcome outcome;
            try {
                if (provider.setActive(a.address(), false) && accounts.markDisabled(a.address(), now)) {
                    disabled.add(a);
                    outcome = AuditOutcome.ok();
                } else {
                    disableFailed.add(a);
                    outcome = AuditOutcome.failed("no such mailbox");
                }
            } catch (MailProviderException e) {
                if (e.stopsTheRun()) {
                    audit.recordAll(entries);
                    throw e; // a rejected key: the next account would be rejected too (and counted by fail2ban)
                }
                disableFailed.add(a);
                outcome = AuditOutcome.failed(e.getMessage());
            }
            entries.add(new Audit.Entry(
                    AuditAction.ACCOUNT_DISABLED, a.address().toString(), Optional.of(a.token()), outcome));
        }
        audit.recordAll(entries);
        List<DeleteAccountResult> results = toDelete.isEmpty()
                ? List.of()
                : removal.removeAll(toDelete, lookedUp.gone(), AuditAction.ACCOUNT_PRUNED);
        PruneReport report = PruneReport.of(results, unverified, kept, disabled, inGrace, disableFailed);
        audit.record(
                AuditAction.PRUNE_RUN,
                "",
                Optional.empty(),
                AuditOutcome.ok("deleted " + report.deleted().size() + ", failed "
                        + report.failed().size() + ", disabled " + disabled.size() + ", in grace " + inGrace.size()));
        return report;
    }
}
