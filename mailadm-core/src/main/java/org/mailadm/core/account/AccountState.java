package org.mailadm.core.account;

/** Where an account stands in its life. */
public enum AccountState {
    /** A use of its token is reserved and the mailbox is being created (or its creation was interrupted). */
    PENDING,
    /** The mailbox exists; the account is in use. */
    ACTIVE
}
