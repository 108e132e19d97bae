package org.mailadm.core.port;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.config.Settings;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;

/**
 * Where mailadm keeps its settings, tokens and accounts.
 *
 * <p>Every method is atomic: it happens completely or not at all. Implementations are safe for
 * use by many threads at once and, for file-based stores, by several processes on the same file.
 * No method waits on anything but the store itself, so callers may hold no lock across a call to
 * another port. Failures of the store itself throw {@link StorageException}; expected outcomes are
 * return values.
 */
public interface Storage {

    // ---- settings

    /** The settings written by {@code init}, or empty when they are missing or incomplete. */
    Optional<Settings> settings();

    /** Stores the settings, replacing earlier ones. */
    void saveSettings(Settings settings);

    /** Every raw configuration entry, in name order, for display (including the schema version). */
    List<ConfigEntry> configEntries();

    /** One raw configuration row. */
    record ConfigEntry(String name, String value) {}

    // ---- tokens

    /** Adds a token with the use count it carries. */
    TokenInsert insertToken(Token token);

    /** Outcome of {@link #insertToken}. */
    enum TokenInsert {
        INSERTED,
        NAME_TAKEN,
        SECRET_TAKEN
    }

    Optional<Token> findToken(TokenName name);

    Optional<Token> findToken(TokenSecret secret);

    /** All tokens, in name order. */
    List<Token> listTokens();

    /**
     * Changes a token's expiry, prefix and maximum uses; never its use count or secret.
     *
     * @return the token after the change, or empty if there is no such token
     */
    Optional<Token> updateToken(TokenName name, Expiry expiry, String prefix, int maxUse, TokenPolicy policy);

    /**
     * Gives a token a new secret; its name, use count, settings and accounts stay. The old secret
     * stops working at once.
     */
    TokenRotation rotateSecret(TokenName name, TokenSecret newSecret);

    /** Outcome of {@link #rotateSecret}. */
    enum TokenRotation {
        ROTATED,
        NOT_FOUND,
        SECRET_TAKEN
    }

    /**
     * Deletes a token together with the accounts rows that still name it.
     *
     * @return false if there was no such token
     */
    boolean deleteToken(TokenName name);

    /** Number of accounts (in any state) that name this token. */
    int countAccounts(TokenName name);

    // ---- leases

    /**
     * Takes a named lease (for example {@code "prune"}) for {@code holder} until {@code now + ttl},
     * if no other holder has it or the other holder's lease has run out. Leases keep two processes
     * from doing the same long job at once without holding a database lock while they work.
     *
     * @return true if {@code holder} has the lease now
     */
    boolean tryLease(String name, String holder, Instant now, java.time.Duration ttl);

    /** Gives a lease back if {@code holder} has it. */
    void releaseLease(String name, String holder);

    // ---- accounts

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

    // ---- audit log

    /** Appends events to the audit log, in one transaction. */
    void recordAudit(Collection<AuditEvent> events);

    /**
     * Audit events, oldest first.
     *
     * @param since only events at or after this time
     * @param token only events concerning this token
     * @param limit at most this many (the newest ones)
     */
    List<AuditEvent> audit(Optional<Instant> since, Optional<TokenName> token, int limit);

    /** How many events with this action and outcome {@code ok} each token has, for metrics. */
    java.util.Map<TokenName, Long> countAudit(String action);
}
