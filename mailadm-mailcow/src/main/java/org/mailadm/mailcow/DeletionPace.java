package org.mailadm.mailcow;

import java.time.Duration;

/**
 * Sizes {@code delete/mailbox} batches and their timeouts to what this mailcow measures.
 *
 * <p>On a large mailcow each deleted mailbox costs 4–8 s (mailcow rebuilds SOGo's view over all
 * mailboxes per deletion, {@code functions.mailbox.inc.php} delete; {@code contracts/mailcow-api.md}
 * §8.1), on a small one a few milliseconds. Until a deletion has been measured, batches hold one
 * address; after that a batch holds as many as fit in half the request timeout at the measured pace,
 * and its timeout is the request timeout plus three times the batch's expected time. A timed-out
 * batch doubles the estimate at least. Thread-safe; one per provider, so the server learns once.
 */
final class DeletionPace {
    /** The estimate before anything was measured, and its floor: 100 ms per address. */
    static final Duration FLOOR = Duration.ofMillis(100);

    private final Duration requestTimeout;
    private final int maxBatch;
    private long nanosPerAddress = -1;

    DeletionPace(Duration requestTimeout, int maxBatch) {
        this.requestTimeout = requestTimeout;
        this.maxBatch = maxBatch;
    }

    /** How many addresses the next batch holds, at least 1. */
    synchronized int batchSize() {
        if (nanosPerAddress < 0) {
            return 1;
        }
        long fit = requestTimeout.toNanos() / 2 / Math.max(1, nanosPerAddress);
        return (int) Math.max(1, Math.min(maxBatch, fit));
    }

    /** The timeout for a batch of {@code n} addresses. */
    synchronized Duration timeout(int n) {
        long per = Math.max(FLOOR.toNanos(), nanosPerAddress);
        return requestTimeout.plus(Duration.ofNanos(per).multipliedBy(3L * n));
    }

    /** A batch of {@code n} was answered after {@code elapsed}. */
    synchronized void answered(int n, Duration elapsed) {
        long per = elapsed.toNanos() / Math.max(1, n);
        nanosPerAddress = nanosPerAddress < 0 ? per : (nanosPerAddress + per) / 2;
    }

    /** A batch of {@code n} timed out after {@code elapsed}: mailcow is slower than we thought. */
    synchronized void timedOut(int n, Duration elapsed) {
        long per = elapsed.toNanos() / Math.max(1, n);
        nanosPerAddress = Math.max(Math.max(FLOOR.toNanos(), nanosPerAddress) * 2, per * 2);
    }

    /** Whether anything has been measured yet. */
    synchronized boolean measured() {
        return nanosPerAddress >= 0;
    }
}
