package org.mailadm.mailcow;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Timeouts and batch sizes of the mailcow adapter.
 *
 * @param connectTimeout for opening a connection
 * @param requestTimeout for single calls (create, find); deletion batches get more, by the measured
 *     pace ({@link DeletionPace})
 * @param listTimeout for listing every mailbox, which takes longer on large servers
 * @param deleteBatchSize the most addresses per {@code delete/mailbox} call
 */
public record MailcowOptions(
        Duration connectTimeout, Duration requestTimeout, Duration listTimeout, int deleteBatchSize) {
    /**
     * 5 s to connect, 15 s per call, 300 s to list everything (the real {@code get/mailbox/reduced}
     * took 5.3 s for 4,570 mailboxes, {@code get/mailbox/all} up to 62 s), at most 250 addresses per
     * deletion call. mailcow repeats the whole batch in every entry of its answer, so the answer grows
     * with the square of the batch: 250 keeps one answer near 2 MB and a prune of 100,000 accounts at
     * about 400 deletion calls.
     */
    public static final MailcowOptions DEFAULTS =
            new MailcowOptions(Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(300), 250);

    public MailcowOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout == null");
        Objects.requireNonNull(requestTimeout, "requestTimeout == null");
        Objects.requireNonNull(listTimeout, "listTimeout == null");
        if (deleteBatchSize < 1) {
            throw new IllegalArgumentException("deleteBatchSize must be at least 1");
        }
    }

    /**
     * The options from the environment: {@code MAILCOW_TIMEOUT} (seconds per call, default 15) and {@code MAILCOW_LIST_TIMEOUT} (seconds for the mailbox list, default 300); 0 means 1; the rest as {@link #DEFAULTS}.
     *
     * @throws IllegalArgumentException naming the variable whose value is not a number of seconds
     */
    public static MailcowOptions fromEnvironment(Map<String, String> env) {
        return new MailcowOptions(
                DEFAULTS.connectTimeout(),
                seconds(env, "MAILCOW_TIMEOUT", DEFAULTS.requestTimeout(), 0),
                seconds(env, "MAILCOW_LIST_TIMEOUT", DEFAULTS.listTimeout(), 1),
                DEFAULTS.deleteBatchSize());
    }

    /** These options with another request timeout. */
    public MailcowOptions withRequestTimeout(Duration timeout) {
        return new MailcowOptions(connectTimeout, timeout, listTimeout, deleteBatchSize);
    }

    /** MAILCOW_TIMEOUT takes 0 (meaning 1 s) as it always did; newer settings start at 1. */
    private static Duration seconds(Map<String, String> env, String name, Duration fallback, long min) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long s = Long.parseLong(value.trim());
            if (s >= min && s <= 86_400) {
                return Duration.ofSeconds(Math.max(1, s));
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException(name + " '" + value + "' is not a number of seconds (" + min + " to 86400)");
    }
}
