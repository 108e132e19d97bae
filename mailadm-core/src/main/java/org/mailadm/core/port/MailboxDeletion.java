package org.mailadm.core.port;

import java.util.Objects;
import org.mailadm.core.account.EmailAddress;

/**
 * Outcome of deleting one mailbox.
 *
 * @param outcome what the provider said, or that it said nothing usable
 * @param detail the provider's words (or what went wrong) when the mailbox was not confirmed deleted;
 *     empty when it was
 */
public record MailboxDeletion(EmailAddress address, Outcome outcome, String detail) {
    /** What is known about one deletion. */
    public enum Outcome {
        /** The provider confirmed the deletion. */
        DELETED,
        /**
         * The provider answered that it did not delete it. mailcow gives the same answer
         * ({@code access_denied}) for "no such mailbox" and for a refusal, so this is no proof either
         * way: callers look the address up.
         */
        REFUSED,
        /**
         * The answer was lost (timeout, broken connection): the provider may have deleted it, and may
         * still be deleting it. Callers look the address up before counting it either way.
         */
        UNKNOWN
    }

    public MailboxDeletion {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(outcome, "outcome == null");
        Objects.requireNonNull(detail, "detail == null");
    }

    /** True when the provider confirmed the deletion. */
    public boolean deleted() {
        return outcome == Outcome.DELETED;
    }

    public static MailboxDeletion deleted(EmailAddress address) {
        return new MailboxDeletion(address, Outcome.DELETED, "");
    }

    public static MailboxDeletion failed(EmailAddress address, String detail) {
        return new MailboxDeletion(address, Outcome.REFUSED, detail);
    }

    public static MailboxDeletion unknown(EmailAddress address, String detail) {
        return new MailboxDeletion(address, Outcome.UNKNOWN, detail);
    }
}
