package org.mailadm.core.port;

import java.util.Objects;
import org.mailadm.core.account.EmailAddress;

/**
 * Outcome of deleting one mailbox.
 *
 * @param deleted true when the provider confirmed the deletion
 * @param detail the provider's words when it did not
 */
public record MailboxDeletion(EmailAddress address, boolean deleted, String detail) {
    public MailboxDeletion {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(detail, "detail == null");
    }

    public static MailboxDeletion deleted(EmailAddress address) {
        return new MailboxDeletion(address, true, "");
    }

    public static MailboxDeletion failed(EmailAddress address, String detail) {
        return new MailboxDeletion(address, false, detail);
    }
}
