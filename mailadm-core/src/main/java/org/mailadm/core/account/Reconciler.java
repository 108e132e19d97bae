package org.mailadm.core.account;

import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.Storage;

/**
 * Settles pending accounts against the provider: a pending account whose mailbox exists becomes
 * active; one whose mailbox does not exist is removed and its use given back.
 *
 * <p>Pending rows normally live for one provider call. Rows left by a crash or a lost answer are
 * settled at server start-up and on demand.
 */
public final class Reconciler {
    private final Storage storage;
    private final MailProvider provider;
    private final Clock clock;

    @Inject
    public Reconciler(Storage storage, MailProvider provider, Clock clock) {
        this.storage = Objects.requireNonNull(storage, "storage == null");
        this.provider = Objects.requireNonNull(provider, "provider == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /**
     * What reconciling did.
     *
     * @param confirmed pending accounts whose mailbox exists, now active
     * @param released pending accounts without a mailbox, removed (their use given back)
     * @param unresolved pending accounts the provider could not be asked about, left pending
     */
    public record PendingReport(
            List<EmailAddress> confirmed, List<EmailAddress> released, List<EmailAddress> unresolved) {
        public int total() {
            return confirmed.size() + released.size() + unresolved.size();
        }
    }

    /**
     * Settles pending accounts reserved at least {@code minAge} ago (so that creations in flight in
     * this or another process are left alone; at start-up, pass {@link Duration#ZERO}).
     */
    public PendingReport reconcilePending(Duration minAge) {
        Instant cutoff = clock.instant().minus(minAge);
        List<EmailAddress> confirmed = new ArrayList<>();
        List<EmailAddress> released = new ArrayList<>();
        List<EmailAddress> unresolved = new ArrayList<>();
        for (Account a : storage.listAccounts(AccountState.PENDING)) {
            if (a.createdAt().isAfter(cutoff)) {
                continue;
            }
            try {
                if (provider.findMailbox(a.address()).isPresent()) {
                    storage.confirmAccount(a.address());
                    confirmed.add(a.address());
                } else {
                    storage.releaseAccount(a.address());
                    released.add(a.address());
                }
            } catch (MailProviderException e) {
                unresolved.add(a.address());
            }
        }
        return new PendingReport(List.copyOf(confirmed), List.copyOf(released), List.copyOf(unresolved));
    }
}
