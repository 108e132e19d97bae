package org.mailadm.core.account;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.port.AccountStore;
import org.mailadm.core.port.AccountStore.PendingAccount;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;

/**
 * One settling of the pending accounts older than the in-flight window, as {@link
 * Reconciler#settlePending()} documents it: a lookup per account, then release, discard or confirm,
 * each audited with the actor {@link Reconciler#ACTOR}.
 */
final class PendingSettlement {
    private final AccountStore accounts;
    private final MailProvider provider;
    private final Clock clock;
    private final InFlightWindow window;
    private final Audit audit;

    PendingSettlement(AccountStore accounts, MailProvider provider, Clock clock, InFlightWindow window, Audit audit) {
        this.accounts = accounts;
        this.provider = provider;
        this.clock = clock;
        this.window = window;
        this.audit = audit;
    }

    Reconciler.PendingReport settle() {
        Instant now = clock.instant();
        List<EmailAddress> confirmed = new ArrayList<>();
        List<EmailAddress> released = new ArrayList<>();
        List<EmailAddress> discarded = new ArrayList<>();
        List<EmailAddress> unresolved = new ArrayList<>();
        for (PendingAccount p : accounts.listPending()) {
            Account a = p.account();
            if (window.holds(a, now)) {
                continue;
            }
            Optional<Mailbox> mailbox;
            try {
                mailbox = provider.findMailbox(a.address());
            } catch (MailProviderException e) {
                if (e.stopsTheRun()) {
                    throw e; // the key was rejected: asking about the next account would be rejected too
                }
                unresolved.add(a.address());
                continue;
            }
            boolean ours = mailbox.flatMap(Mailbox::mailadmToken)
                    .map(t -> t.equals(a.token().value()))
                    .orElse(false);
            if (mailbox.isEmpty() || !ours) {
                if (accounts.releaseAccount(a.address())) {
                    released.add(a.address());
                    record(
                            a,
                            AuditAction.ACCOUNT_RELEASED,
                            mailbox.isEmpty()
                                    ? AuditOutcome.ok("no mailbox; its use given back")
                                    : AuditOutcome.ok("the mailbox is not mailadm's (no mailadm:" + a.token()
                                            + " tag); left alone, use given back"));
                }
            } else if (p.credentialsKnown()) {
                if (accounts.confirmAccount(
                        a.address(),
                        List.of(event(
                                a,
                                AuditAction.ACCOUNT_CONFIRMED,
                                AuditOutcome.ok("mailbox exists and the admin chose its password"))))) {
                    confirmed.add(a.address());
                }
            } else if (deleteMailbox(a.address())) {
                if (accounts.releaseAccount(a.address())) {
                    discarded.add(a.address());
                    record(
                            a,
                            AuditAction.ACCOUNT_DISCARDED,
                            AuditOutcome.ok("nobody received its credentials; mailbox deleted, use given back"));
                }
            } else {
                unresolved.add(a.address());
            }
        }
        return new Reconciler.PendingReport(
                List.copyOf(confirmed), List.copyOf(released), List.copyOf(discarded), List.copyOf(unresolved));
    }

    /** Deletes one mailbox; true on proof that it is gone. */
    private boolean deleteMailbox(EmailAddress address) {
        try {
            List<MailboxDeletion> d = provider.deleteMailboxes(List.of(address));
            if (!d.isEmpty() && d.get(0).deleted()) {
                return true;
            }
        } catch (MailProviderException e) {
            if (e.stopsTheRun()) {
                throw e; // a rejected key: a lookup would be rejected too
            }
            // otherwise verified below
        }
        return MailboxSnapshot.confirmAbsent(provider, List.of(address)).gone().contains(address);
    }

    private void record(Account a, AuditAction action, AuditOutcome outcome) {
        audit.record(Reconciler.ACTOR, action, a.address().toString(), Optional.of(a.token()), outcome);
    }

    private AuditEvent event(Account a, AuditAction action, AuditOutcome outcome) {
        return audit.event(Reconciler.ACTOR, action, a.address().toString(), Optional.of(a.token()), outcome);
    }
}
