package org.mailadm.core.account;

import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.port.AccountStore;
import org.mailadm.core.port.MailProvider;

/**
 * Reactivates an account that prune disabled (tokens with a grace period), for a user whom prune
 * took for inactive by mistake. The account starts a fresh lifetime of its token's expiry.
 */
public final class AccountRestore {
    private final AccountStore accounts;
    private final MailProvider provider;
    private final Clock clock;
    private final Audit audit;

    @Inject
    public AccountRestore(AccountStore accounts, MailProvider provider, Clock clock, Audit audit) {
        this.accounts = Objects.requireNonNull(accounts, "accounts == null");
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.audit = Objects.requireNonNull(audit, "audit == null");
    }

    /** Outcome of {@link #restore}. */
    public sealed interface RestoreResult {
        /** The mailbox works again and the account lives another full lifetime. */
        record Restored(Account account) implements RestoreResult {}

        /** mailadm has no such account (never had, or prune deleted it after its grace period). */
        record NotFound(EmailAddress address) implements RestoreResult {}

        /** The account is not disabled; nothing changed. */
        record NotDisabled(Account account) implements RestoreResult {}

        /** The mail server no longer has the mailbox; nothing changed (reconcile removes the row). */
        record MailboxGone(Account account) implements RestoreResult {}
    }

    public RestoreResult restore(EmailAddress address) {
        Optional<Account> found = accounts.findAccount(address);
        if (found.isEmpty()) {
            audit.record(
                    AuditAction.ACCOUNT_RESTORED,
                    address.toString(),
                    Optional.empty(),
                    AuditOutcome.refused("no such account"));
            return new RestoreResult.NotFound(address);
        }
        Account a = found.get();
        if (!a.isDisabled()) {
            audit.record(
                    AuditAction.ACCOUNT_RESTORED,
                    address.toString(),
                    Optional.of(a.token()),
                    AuditOutcome.refused("not disabled"));
            return new RestoreResult.NotDisabled(a);
        }
        if (!provider.setActive(address, true)) {
            audit.record(
                    AuditAction.ACCOUNT_RESTORED,
                    address.toString(),
                    Optional.of(a.token()),
                    AuditOutcome.failed("no mailbox"));
            return new RestoreResult.MailboxGone(a);
        }
        var now = clock.instant();
        accounts.markRestored(address, now);
        audit.record(AuditAction.ACCOUNT_RESTORED, address.toString(), Optional.of(a.token()), AuditOutcome.ok());
        return new RestoreResult.Restored(new Account(a.address(), now, a.ttl(), a.token(), a.state()));
    }
}
