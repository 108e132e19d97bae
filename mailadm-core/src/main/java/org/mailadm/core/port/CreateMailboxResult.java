package org.mailadm.core.port;

/** Outcome of {@link MailProvider#createMailbox}. */
public sealed interface CreateMailboxResult {
    /** The mailbox exists now. */
    record Created() implements CreateMailboxResult {}

    /** A mailbox (or alias) with this address exists already; nothing changed. */
    record AlreadyExists() implements CreateMailboxResult {}

    /**
     * The provider refused to create the mailbox; nothing changed.
     *
     * @param detail the provider's own words, for the log and the operator
     */
    record Rejected(Reason reason, String detail) implements CreateMailboxResult {}

    /** Why a creation was refused. */
    enum Reason {
        /** The mail domain is not one of the provider's domains. */
        DOMAIN_NOT_MANAGED,
        /** The password does not satisfy the provider's password policy. */
        PASSWORD_REJECTED,
        /** The domain's mailbox count or quota is used up: no room right now. */
        LIMIT_REACHED,
        /**
         * The requested quota is above the provider's per-mailbox maximum (mailcow's
         * {@code mailbox_quota_exceeded}, {@code functions.mailbox.inc.php} add): a configuration error
         * of the token, not a shortage; every creation with this quota fails until it is lowered. The
         * detail names the maximum.
         */
        QUOTA_ABOVE_MAXIMUM,
        /** The provider considers the address invalid. */
        INVALID_ADDRESS,
        /** Any other refusal. */
        OTHER
    }
}
