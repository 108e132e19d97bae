package org.mailadm.core.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether an account is due for deletion (the rule of the original mailadm).
 *
 * <ul>
 *   <li>An account is overdue when {@code date + ttl < now}; one that is not overdue is kept.
 *   <li>An overdue account whose ttl is below 27 days is deleted.
 *   <li>An overdue account with a longer ttl is deleted only if its last IMAP login is older than a
 *       quarter of its ttl, so accounts in active use are kept.
 * </ul>
 *
 * <p>mailcow reports a last login of 0 both for "never logged in" and when it hides logins
 * ({@code SHOW_LAST_LOGIN=false}). The original reads 0 as "long ago" and deletes, which would
 * delete every long-lived account of a server that hides logins. Here 0 is "unknown" (empty), and
 * an overdue long-lived account with an unknown last login is <em>kept</em>: deleting a mailbox in
 * use loses mail, keeping an unused one costs a little disk. Prune reports such accounts so an
 * operator can delete them by hand. See docs/prune.md.
 */
public final class ExpiryPolicy {
    /** Accounts with a shorter ttl are deleted as soon as they are overdue. */
    public static final Duration SHORT_TTL = Duration.ofDays(27);

    private ExpiryPolicy() {}

    /**
     * Returns true when the account should be deleted now.
     *
     * <p>Use {@link #isKeptForUnknownLogin} to tell the accounts kept only for lack of login data.
     *
     * @param lastLogin the last IMAP login reported by the mail provider, empty when unknown
     */
    public static boolean isDue(Account account, Optional<Instant> lastLogin, Instant now) {
        if (!account.isOverdue(now)) {
            return false;
        }
        if (account.ttl().compareTo(SHORT_TTL) < 0) {
            return true;
        }
        if (lastLogin.isEmpty()) {
            return false;
        }
        Duration quarter = account.ttl().dividedBy(4);
        Duration idle = Duration.between(lastLogin.get(), now);
        return idle.compareTo(quarter) > 0;
    }

    /** True when the account would be due if its last login were known to be old. */
    public static boolean isKeptForUnknownLogin(Account account, Optional<Instant> lastLogin, Instant now) {
        return lastLogin.isEmpty() && account.isOverdue(now) && account.ttl().compareTo(SHORT_TTL) >= 0;
    }
}
