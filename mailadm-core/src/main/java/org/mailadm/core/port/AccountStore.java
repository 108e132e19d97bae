package org.mailadm.core.port;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenSecret;

/**
 * Where accounts live, and the reservation of a token's use that creating one starts with: reserve, confirm and release each change the account and its token's use count in one transaction.
 *
 * <p>Every method is atomic: it happens completely or not at all. Implementations are safe for
 * use by many threads at once and, for file-based stores, by several processes on the same file.
 * No method waits on anything but the store itself, so callers may hold no lock across a call to
 * another port. Failures of the store itself throw {@link StorageException} ({@link
 * StorageBusyException} when another writer holds the store too long); expected outcomes are return
 * values.
 */
public interface AccountStore {
    /**
     * Reserves one use of a token and records a {@link AccountState#PENDING} account for the
     * address, in one transaction: the use count is incremented only while it is below the maximum,
     * so concurrent callers never exceed it. The account's lifetime is the token's expiry.
     *
     * @param credentialsKnown true when someone knows the password whatever the outcome (an admin
     *     chose it): reconcile then keeps the account if its mailbox exists, instead of deleting a
     *     mailbox whose credentials nobody received
     */
    Reservation reserveAccount(TokenKey token, EmailAddress address, Instant now, boolean credentialsKnown);

    /** {@link #reserveAccount(TokenKey, EmailAddress, Instant, boolean)} for a generated password. */
    default Reservation reserveAccount(TokenKey token, EmailAddress address, Instant now) {
        return reserveAccount(token, address, now, false);
    }

    /**
     * A pending account, with what reconcile needs to settle it.
     *
     * @param credentialsKnown as given to {@link #reserveAccount}
     */
    record PendingAccount(Account account, boolean credentialsKnown) {}

    /** The pending accounts, in address order. */
    List<PendingAccount> listPending();

    /** How a caller names the token to reserve a use of. */
    sealed interface TokenKey {
        /** The token called this. */
        record ByName(TokenName name) implements TokenKey {}

        /** The token with this secret (what the web endpoint receives). */
        record BySecret(TokenSecret secret) implements TokenKey {}
    }

    /** Outcome of {@link #reserveAccount}. */
    sealed interface Reservation {
        /** The use is counted and the pending account recorded. */
        record Reserved(Account account, Token token) implements Reservation {}

        record TokenNotFound() implements Reservation {}

        /** The token has no uses left; nothing changed. */
        record TokenExhausted(Token token) implements Reservation {}

        /** An account with this address already exists; nothing changed. */
        record AddressTaken() implements Reservation {}
    }

    /**
     * Marks a pending account active (its mailbox exists).
     *
     * @return false if there is no such account
     */
    default boolean confirmAccount(EmailAddress address) {
        return confirmAccount(address, List.of());
    }

    /**
     * Marks a pending account active and appends these audit events, in one transaction.
     *
     * @return false (and records nothing) if there is no such account
     */
    boolean confirmAccount(EmailAddress address, List<AuditEvent> audit);

    /**
     * Undoes a reservation: deletes the pending account and gives its use back to its token.
     *
     * @return false (and changes nothing) if there is no pending account with this address
     */
    boolean releaseAccount(EmailAddress address);

    Optional<Account> findAccount(EmailAddress address);

    /** All accounts, in address order. */
    List<Account> listAccounts();

    /** The accounts of one token, in address order. */
    List<Account> listAccounts(TokenName token);

    /** The accounts in one state, in address order. */
    List<Account> listAccounts(AccountState state);

    /**
     * Records that the account's mailbox was disabled at this time (grace period of its token).
     *
     * @return false if there is no such account
     */
    boolean markDisabled(EmailAddress address, Instant at);

    /**
     * Undoes {@link #markDisabled} and starts the account's lifetime again at {@code newStart}.
     *
     * @return false if there is no such account
     */
    boolean markRestored(EmailAddress address, Instant newStart);

    /**
     * Deletes accounts (rows only; their token's use count stays).
     *
     * @return how many existed and were deleted
     */
    int deleteAccounts(Collection<EmailAddress> addresses);
}
