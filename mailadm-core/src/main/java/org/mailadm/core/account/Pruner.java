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
import org.mailadm.core.audit.Audit;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.Storage;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;

/**
 * Deletes expired accounts by the rule of {@link ExpiryPolicy}, with one provider listing and
 * batched deletions. A row is deleted only once its mailbox is gone.
 */
public final class Pruner {
    private final Storage storage;
    private final MailProvider provider;
    private final AccountRemoval removal;
    private final Clock clock;
    private final Audit audit;

    @Inject
    public Pruner(Storage storage, MailProvider provider, AccountRemoval removal, Clock clock, Audit audit) {
        this.storage = Objects.requireNonNull(storage, "storage == null");
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.removal = Objects.requireNonNull(removal, "removal == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.audit = Objects.requireNonNull(audit, "audit == null");
    }

    /**
     * What a prune did (or, in a dry run, would do).
     *
     * @param deleted accounts deleted (in a dry run: that would be deleted)
     * @param failed accounts whose mailbox the provider did not delete; their rows are kept
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
            List<Account> deleted,
            List<DeleteAccountResult.Failed> failed,
            List<Account> keptUnknownLogin,
            List<Account> disabled,
            List<Account> inGrace,
            List<Account> disableFailed) {
        public boolean nothingToDo() {
            return deleted.isEmpty() && failed.isEmpty() && disabled.isEmpty() && disableFailed.isEmpty();
        }

        static PruneReport empty(boolean dryRun, boolean skipped) {
            return new PruneReport(dryRun, skipped, List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
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
            return PruneReport.empty(false, true);
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
            return PruneReport.empty(dryRun, false);
        }
        Map<EmailAddress, Mailbox> mailboxes = provider.listMailboxes().stream()
                .collect(Collectors.toMap(Mailbox::address, Function.identity(), (x, y) -> x));
        Map<TokenName, Token> tokens =
                storage.listTokens().stream().collect(Collectors.toMap(Token::name, Function.identity()));
        List<Account> toDelete = new ArrayList<>();
        List<Account> toDisable = new ArrayList<>();
        List<Account> inGrace = new ArrayList<>();
        List<Account> kept = new ArrayList<>();
        for (Account a : overdue) {
            Mailbox mailbox = mailboxes.get(a.address());
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
                    List.copyOf(toDelete),
                    List.of(),
                    List.copyOf(kept),
                    List.copyOf(toDisable),
                    List.copyOf(inGrace),
                    List.of());
        }
        List<Account> disabled = new ArrayList<>();
        List<Account> disableFailed = new ArrayList<>();
        List<Audit.Entry> entries = new ArrayList<>();
        for (Account a : toDisable) {
            String outcome;
            try {
                if (provider.setActive(a.address(), false) && storage.markDisabled(a.address(), now)) {
                    disabled.add(a);
                    outcome = "ok";
                } else {
                    disableFailed.add(a);
                    outcome = "failed: no such mailbox";
                }
            } catch (MailProviderException e) {
                disableFailed.add(a);
                outcome = "failed: " + e.getMessage();
            }
            entries.add(new Audit.Entry("account.disabled", a.address().toString(), Optional.of(a.token()), outcome));
        }
        audit.recordAll(entries);
        List<DeleteAccountResult> results =
                toDelete.isEmpty() ? List.of() : removal.removeAll(toDelete, Optional.of(mailboxes), "account.pruned");
        PruneReport report = report(results, kept, disabled, inGrace, disableFailed);
        audit.record(
                "prune.run",
                "",
                Optional.empty(),
                "deleted " + report.deleted().size() + ", failed "
                        + report.failed().size() + ", disabled " + disabled.size() + ", in grace " + inGrace.size());
        return report;
    }

    private static PruneReport report(
            Collection<DeleteAccountResult> results,
            List<Account> kept,
            List<Account> disabled,
            List<Account> inGrace,
            List<Account> disableFailed) {
        List<Account> deleted = new ArrayList<>();
        List<DeleteAccountResult.Failed> failed = new ArrayList<>();
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
                List.copyOf(deleted),
                List.copyOf(failed),
                List.copyOf(kept),
                List.copyOf(disabled),
                List.copyOf(inGrace),
                List.copyOf(disableFailed));
    }
}
