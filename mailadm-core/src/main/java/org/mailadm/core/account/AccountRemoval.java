package org.mailadm.core.account;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.port.AccountStore;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailboxDeletion;

/**
 * Deletes accounts: the mailbox at the provider first, then the row, so that a failed mailbox
 * deletion never leaves an untracked mailbox behind. A row goes only on proof that its mailbox is
 * gone: the provider confirmed the deletion, or a lookup of the address alone found no mailbox
 * (after a refusal, which mailcow also gives for "no such mailbox", and after a lost answer, since
 * mailcow goes on deleting after the client gave up).
 */
public final class AccountRemoval {
    private final AccountStore accounts;
    private final MailProvider provider;
    private final Audit audit;

    @Inject
    public AccountRemoval(AccountStore accounts, MailProvider provider, Audit audit) {
        this.accounts = Objects.requireNonNull(accounts, "accounts == null");
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.audit = Objects.requireNonNull(audit, "audit == null");
    }

    /** Outcome of deleting one account. */
    public sealed interface DeleteAccountResult {
        /**
         * Mailbox and row are gone.
         *
         * @param mailboxExisted false when the provider no longer had the mailbox before this deletion
         */
        record Deleted(Account account, boolean mailboxExisted) implements DeleteAccountResult {}

        /** mailadm has no account with this address. */
        record NotFound(EmailAddress address) implements DeleteAccountResult {}

        /** The mailbox may still exist (the provider did not delete it, or could not be asked); the row is kept. */
        record Failed(Account account, String detail) implements DeleteAccountResult {}
    }

    /** Deletes the account with this address (the CLI's {@code del-user}). */
    public DeleteAccountResult delete(EmailAddress address) {
        Optional<Account> account = accounts.findAccount(address);
        if (account.isEmpty()) {
            audit.record(
                    AuditAction.ACCOUNT_DELETED,
                    address.toString(),
                    Optional.empty(),
                    AuditOutcome.refused("no such account"));
            return new DeleteAccountResult.NotFound(address);
        }
        return removeAll(List.of(account.get()), Set.of(), AuditAction.ACCOUNT_DELETED)
                .get(0);
    }

    /**
     * Deletes many accounts with batched provider calls.
     *
     * @param provenGone addresses whose mailbox a lookup of the address alone found missing just now
     *     ({@link MailboxSnapshot#confirmAbsent}); no deletion is sent for them. A listing's silence
     *     is not proof and does not belong here.
     * @param action how the audit log names it: {@code account.deleted}, {@code account.pruned}
     * @return one result per account, in the given order
     * @throws org.mailadm.core.port.StorageException when the rows cannot be written; mailboxes
     *     deleted by then stay deleted and the next run drops their rows on a lookup
     */
    public List<DeleteAccountResult> removeAll(
            Collection<Account> accounts, Set<EmailAddress> provenGone, AuditAction action) {
        List<EmailAddress> toDelete = accounts.stream()
                .map(Account::address)
                .filter(a -> !provenGone.contains(a))
                .toList();
        Map<EmailAddress, MailboxDeletion> outcomes = new java.util.HashMap<>();
        boolean keyRejected = deleteMailboxes(toDelete, outcomes);
        // A rejected key is not asked again: mailcow's fail2ban counts every rejected call.
        List<EmailAddress> unconfirmed = keyRejected
                ? List.of()
                : toDelete.stream().filter(a -> !outcomes.get(a).deleted()).toList();
        MailboxSnapshot.Absences lookedUp = MailboxSnapshot.confirmAbsent(provider, unconfirmed);

        List<EmailAddress> rowsToDelete = new ArrayList<>();
        List<DeleteAccountResult> results = new ArrayList<>();
        for (Account a : accounts) {
            MailboxDeletion d = outcomes.get(a.address());
            DeleteAccountResult r;
            if (d == null) {
                r = new DeleteAccountResult.Deleted(a, false); // proven gone before
            } else if (d.deleted()) {
                r = new DeleteAccountResult.Deleted(a, true);
            } else if (lookedUp.gone().contains(a.address())) {
                // After a lost answer, our request most likely did it; after a refusal, it was gone already.
                r = new DeleteAccountResult.Deleted(a, d.outcome() == MailboxDeletion.Outcome.UNKNOWN);
            } else if (lookedUp.unknown().containsKey(a.address())) {
                r = new DeleteAccountResult.Failed(
                        a, d.detail() + "; " + lookedUp.unknown().get(a.address()));
            } else {
                r = new DeleteAccountResult.Failed(
                        a,
                        d.outcome() == MailboxDeletion.Outcome.UNKNOWN
                                ? d.detail() + "; the mailbox still exists (mailcow may still be deleting it)"
                                : d.detail());
            }
            if (r instanceof DeleteAccountResult.Deleted) {
                rowsToDelete.add(a.address());
            }
            results.add(r);
        }
        this.accounts.deleteAccounts(rowsToDelete);
        audit.recordAll(results.stream()
                .map(r -> switch (r) {
                    case DeleteAccountResult.Deleted d -> entry(action, d.account(), AuditOutcome.ok());
                    case DeleteAccountResult.Failed f -> entry(action, f.account(), AuditOutcome.failed(f.detail()));
                    case DeleteAccountResult.NotFound n ->
                        new Audit.Entry(
                                action,
                                n.address().toString(),
                                Optional.empty(),
                                AuditOutcome.refused("no such account"));
                })
                .toList());
        return results;
    }

    /**
     * One outcome per address, into {@code byAddress}. A failure that throws is turned into outcomes,
     * so the rows proven gone are still dropped and every account is audited: a lost answer makes
     * every address unknown (to be looked up); any other failure means mailcow did nothing.
     *
     * @return true when mailcow rejected the key (or mailadm held the call back): then nothing is
     *     looked up
     */
    private boolean deleteMailboxes(List<EmailAddress> addresses, Map<EmailAddress, MailboxDeletion> byAddress) {
        List<MailboxDeletion> outcomes;
        boolean keyRejected = false;
        try {
            outcomes = addresses.isEmpty() ? List.of() : provider.deleteMailboxes(addresses);
        } catch (MailProviderException e) {
            keyRejected = e.stopsTheRun();
            outcomes = addresses.stream()
                    .map(a -> e.outcomeUnknown()
                            ? MailboxDeletion.unknown(a, e.getMessage())
                            : MailboxDeletion.failed(a, e.getMessage()))
                    .toList();
        }
        outcomes.forEach(d -> byAddress.putIfAbsent(d.address(), d));
        for (EmailAddress a : addresses) {
            byAddress.putIfAbsent(a, MailboxDeletion.unknown(a, "mailcow's answer did not mention it"));
        }
        return keyRejected;
    }

    private static Audit.Entry entry(AuditAction action, Account a, AuditOutcome outcome) {
        return new Audit.Entry(action, a.address().toString(), Optional.of(a.token()), outcome);
    }
}
