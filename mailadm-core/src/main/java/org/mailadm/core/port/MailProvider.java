package org.mailadm.core.port;

import java.util.List;
import java.util.Optional;
import org.mailadm.core.account.EmailAddress;

/**
 * The mail server that holds the mailboxes (mailcow in production).
 *
 * <p>Implementations are safe for use by many threads at once. Every call returns or throws within
 * the implementation's configured timeout. Expected outcomes are return values; a provider that
 * cannot be reached throws {@link MailProviderUnavailableException}; any other failure (bad
 * credentials, unreadable answers) throws {@link MailProviderException}. Messages never contain
 * credentials or passwords.
 */
public interface MailProvider {

    /** Creates a mailbox tagged as mailadm's. */
    CreateMailboxResult createMailbox(NewMailbox mailbox);

    /**
     * Deletes mailboxes, in as few requests as the provider allows.
     *
     * <p>A request whose answer is lost does not throw: its addresses come back as {@link
     * MailboxDeletion.Outcome#UNKNOWN}, for the caller to look up. Failures that mean nothing was
     * done (a rejected API key) throw as usual.
     *
     * @return one result per address, in the order given
     */
    List<MailboxDeletion> deleteMailboxes(List<EmailAddress> addresses);

    /**
     * The mailbox with this address, if it exists: one lookup of this address alone. Its "no such
     * mailbox" is the only proof of absence mailadm accepts; a listing's silence is not (see {@code
     * MailboxSnapshot}).
     */
    Optional<Mailbox> findMailbox(EmailAddress address);

    /**
     * Enables or disables a mailbox: a disabled one keeps its mail but cannot log in or receive.
     *
     * @return false if there is no such mailbox
     */
    boolean setActive(EmailAddress address, boolean active);

    /**
     * Every mailbox the provider holds (all domains), in one or a few requests. A mailbox may be
     * missing from it although it exists (mailcow leaves out a mailbox whose details fail to load):
     * callers confirm an absence with {@link #findMailbox} before acting on it.
     */
    List<Mailbox> listMailboxes();

    /**
     * Makes one harmless call that needs the credentials a creation needs (for mailcow: the
     * read-write key from an allowed address); throws like every other method when it fails.
     */
    void checkHealth();
}
