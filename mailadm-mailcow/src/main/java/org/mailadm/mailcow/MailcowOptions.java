package org.mailadm.mailcow;

import java.time.Duration;
import java.util.Objects;

/**
 * Timeouts and batch sizes of the mailcow adapter.
 *
 * @param connectTimeout for opening a connection
 * @param requestTimeout for single calls (create, find; a batch of deletions gets 100 ms more per address)
 * @param listTimeout for listing every mailbox, which takes longer on large servers
 * @param deleteBatchSize addresses per {@code delete/mailbox} call
 */
public record MailcowOptions(
        Duration connectTimeout, Duration requestTimeout, Duration listTimeout, int deleteBatchSize) {
    /**
     * 5 s to connect, 15 s per call (plus 100 ms per address of a deletion batch), 120 s to list
     * everything, 250 addresses per deletion call. mailcow repeats the whole batch in every entry of
     * its answer, so the answer grows with the square of the batch: 250 keeps one answer near 2 MB
     * and a prune of 100,000 accounts at 400 deletion calls.
     */
    public static final MailcowOptions DEFAULTS =
            new MailcowOptions(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(120), 250);

    public MailcowOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout == null");
        Objects.requireNonNull(requestTimeout, "requestTimeout == null");
        Objects.requireNonNull(listTimeout, "listTimeout == null");
        if (deleteBatchSize < 1) {
            throw new IllegalArgumentException("deleteBatchSize must be at least 1");
        }
    }
}
