package org.mailadm.core.account;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;
import org.mailadm.core.port.Storage;

/**
 * Deletes accounts: the mailbox at the provider first, then the row, so that a failed mailbox
 * deletion never leaves an untracked mailbox behind.
 */
public final class AccountRemoval {
    /** Above this many unconfirmed deletions, one listing is cheaper than one lookup each. */
    private static final int LOOKUP_LIMIT = 8;

    private final Storage storage;
    private final MailProvider provider;
    private final Audit audit;

    @Inject
    public AccountRemoval(Storage storage, MailProvider provider, Audit audit) {
        this.storage = Objects.requireNonNull(storage, "storage == null");
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.audit = Objects.requireNonNull(audit, "audit == null");
    }

    /** Outcome of deleting one account. */
    public sealed interface DeleteAccountResult {
        /**
         * Mailbox and row are gone.
         *
         * @param mailboxExisted false when the provider no longer had the mailbox
         */
        record Deleted(Account account, boolean mailboxExisted) implements DeleteAccountResult {}

        /** mailadm has no account with this address. */
        record NotFound(EmailAddress address) implements DeleteAccountResult {}

        /** The provider did not delete the mailbox; the row is kept. */
        record Failed(Account account, String detail) implements DeleteAccountResult {}
    }

    /** Deletes the account with this address (the CLI's {@code del-user}). */
    public DeleteAccountResult delete(EmailAddress address) {
        Optional<Account> account = storage.findAccount(address);
        if (account.isEmpty()) {
            return new DeleteAccountResult.NotFound(address);
        }
        return removeAll(List.of(account.get()), Optional.empty(), "account.deleted")
                .get(0);
    }

    /**
     * Deletes many accounts with batched provider calls.
     *
     * @param snapshot the provider's mailboxes if the caller just listed them; mailboxes absent from
     *     it are taken as already gone, and no deletion is sent for them
     * @param action how the audit log names it: {@code account.deleted}, {@code account.pruned}
     * @return one result per account, in the given order
     */
    public List<DeleteAccountResult> removeAll(
            Collection<Account> accounts, Optional<Map<EmailAddress, Mailbox>> snapshot, String action) {
        List<Account> toDelete = new ArrayList<>();
        Set<EmailAddress> alreadyGone = new HashSet<>();
        for (Account a : accounts) {
            if (snapshot.isPresent() && !snapshot.get().containsKey(a.address())) {
                alreadyGone.add(a.address());
            } else {
                toDelete.add(a);
            }
        }
        Map<EmailAddress, MailboxDeletion> outcomes =
                provider.deleteMailboxes(toDelete.stream().map(Account::address).toList()).stream()
                        .collect(Collectors.toMap(MailboxDeletion::address, Function.identity(), (x, y) -> x));

        // mailcow answers "access_denied" both for "no such mailbox" and for real refusals: ask again.
        List<EmailAddress> unconfirmed = toDelete.stream()
                .map(Account::address)
                .filter(a -> !outcomes.containsKey(a) || !outcomes.get(a).deleted())
                .toList();
        Map<EmailAddress, Boolean> stillThere = stillExisting(unconfirmed);

        List<EmailAddress> rowsToDelete = new ArrayList<>();
        List<DeleteAccountResult> results = new ArrayList<>();
        for (Account a : accounts) {
            MailboxDeletion d = outcomes.get(a.address());
            if (alreadyGone.contains(a.address())) {
                rowsToDelete.add(a.address());
                results.add(new DeleteAccountResult.Deleted(a, false));
            } else if (d != null && d.deleted()) {
                rowsToDelete.add(a.address());
                results.add(new DeleteAccountResult.Deleted(a, true));
            } else if (!stillThere.getOrDefault(a.address(), true)) {
                rowsToDelete.add(a.address());
                results.add(new DeleteAccountResult.Deleted(a, false));
            } else {
                results.add(new DeleteAccountResult.Failed(a, d == null ? "no answer for this address" : d.detail()));
            }
        }
        storage.deleteAccounts(rowsToDelete);
        audit.recordAll(results.stream()
                .map(r -> switch (r) {
                    case DeleteAccountResult.Deleted d -> entry(action, d.account(), "ok");
                    case DeleteAccountResult.Failed f -> entry(action, f.account(), "failed: " + f.detail());
                    case DeleteAccountResult.NotFound n ->
                        new Audit.Entry(action, n.address().toString(), Optional.empty(), "refused: no such account");
                })
                .toList());
        return results;
    }

    private static Audit.Entry entry(String action, Account a, String outcome) {
        return new Audit.Entry(action, a.address().toString(), Optional.of(a.token()), outcome);
    }

    private Map<EmailAddress, Boolean> stillExisting(List<EmailAddress> addresses) {
        if (addresses.isEmpty()) {
            return Map.of();
        }
        if (addresses.size() <= LOOKUP_LIMIT) {
            return addresses.stream()
                    .collect(Collectors.toMap(
                            a -> a, a -> provider.findMailbox(a).isPresent(), (x, y) -> x));
        }
        var existing = provider.listMailboxes().stream().map(Mailbox::address).collect(Collectors.toSet());
        return addresses.stream().collect(Collectors.toMap(a -> a, existing::contains, (x, y) -> x));
    }
}
