package org.mailadm.core.port;

import java.time.Duration;
import java.time.Instant;

/**
 * Named leases that keep two processes (or hosts sharing a database) from running the same long job at once, without holding a database lock while they work.
 *
 * <p>Every method is atomic: it happens completely or not at all. Implementations are safe for
 * use by many threads at once and, for file-based stores, by several processes on the same file.
 * No method waits on anything but the store itself, so callers may hold no lock across a call to
 * another port. Failures of the store itself throw {@link StorageException} ({@link
 * StorageBusyException} when another writer holds the store too long); expected outcomes are return
 * values.
 */
public interface LeaseStore {
    /**
     * Takes a named lease (for example {@code "prune"}) for {@code holder} until {@code now + ttl},
     * if no other holder has it or the other holder's lease has run out. Leases keep two processes
     * from doing the same long job at once without holding a database lock while they work.
     *
     * @return true if {@code holder} has the lease now
     */
    boolean tryLease(String name, String holder, Instant now, Duration ttl);

    /** Gives a lease back if {@code holder} has it. */
    void releaseLease(String name, String holder);
}
