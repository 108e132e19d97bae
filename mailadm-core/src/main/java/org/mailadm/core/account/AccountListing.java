package org.mailadm.core.account;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.AccountStore;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.token.TokenName;

/**
 * Lists accounts cross-checked against the provider, in linear time: one provider listing, joined
 * to the rows by address in a hash map.
 */
public final class AccountListing {
    private final AccountStore accounts;
    private final MailProvider provider;
    private final String mailDomain;

    @Inject
    public AccountListing(AccountStore accounts, MailProvider provider, Settings settings) {
        this.accounts = Objects.requireNonNull(accounts, "accounts == null");
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.mailDomain = settings.mailDomain();
    }

    /**
     * One account and its mailbox.
     *
     * @param mailbox empty when the provider has no such mailbox
     */
    public record Entry(Account account, Optional<Mailbox> mailbox) {}

    /**
     * The cross-checked listing.
     *
     * @param onlyInProvider mailboxes of the mail domain tagged {@code mailadm:} (with the token, when
     *     one was asked for) that mailadm has no row for; mailboxes of other domains on a shared
     *     mailcow are not mailadm's and never listed
     */
    public record Listing(List<Entry> accounts, List<Mailbox> onlyInProvider) {}

    /**
     * Lists all accounts, or those of one token. The provider's listing (a network call, then
     * parsing) runs on a thread of its own while the rows are read, so the two take the time of the
     * longer one rather than their sum; no database lock is held meanwhile.
     */
    public Listing list(Optional<TokenName> token) {
        FutureTask<List<Mailbox>> listing = new FutureTask<>(provider::listMailboxes);
        Thread.ofVirtual().name("mailadm-provider-listing").start(listing);
        List<Account> accounts;
        try {
            accounts = token.map(this.accounts::listAccounts).orElseGet(this.accounts::listAccounts);
        } catch (RuntimeException | Error e) {
            listing.cancel(true);
            throw e;
        }
        MailboxSnapshot snapshot = MailboxSnapshot.of(await(listing), mailDomain);
        List<Entry> entries = new ArrayList<>(accounts.size());
        for (Account a : accounts) {
            entries.add(new Entry(a, snapshot.find(a.address())));
        }
        Set<EmailAddress> known = new HashSet<>(accounts.size() * 2);
        accounts.forEach(a -> known.add(a.address()));
        // A tagged mailbox without a row: a row of another token, or one written while mailcow listed.
        List<Mailbox> onlyInProvider = snapshot.mailboxes().stream()
                .filter(m -> m.mailadmToken().isPresent())
                .filter(m -> token.isEmpty()
                        || m.mailadmToken().get().equals(token.get().value()))
                .filter(m -> !known.contains(m.address()))
                .filter(m -> this.accounts.findAccount(m.address()).isEmpty())
                .sorted(java.util.Comparator.comparing(Mailbox::address))
                .toList();
        return new Listing(entries, onlyInProvider);
    }

    /** The listing's result, or the very exception the provider threw. */
    private static List<Mailbox> await(FutureTask<List<Mailbox>> listing) {
        try {
            return listing.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            listing.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the provider's mailbox list", e);
        }
    }
}
