package org.mailadm.greenmail;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderUnavailableException;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;
import org.mailadm.core.port.NewMailbox;

/**
 * The mail-provider port on an {@link EmbeddedMailServer}: every mailbox mailadm creates is a real
 * SMTP/IMAP account on it. Tags live beside it in memory. GreenMail does not report IMAP logins, so
 * {@link Mailbox#lastLogin()} is unknown unless {@link #recordLogin} says otherwise (prune then
 * treats the account as it treats a mailcow login of 0).
 */
@Singleton
public final class GreenMailProvider implements MailProvider {
    private final EmbeddedMailServer server;
    private final Map<String, String> tags = new ConcurrentHashMap<>();
    private final Map<String, Instant> logins = new ConcurrentHashMap<>();
    /** Disabled mailboxes: GreenMail cannot lock an account, so it is removed and its password kept. */
    private final Map<String, String> disabled = new ConcurrentHashMap<>();

    @Inject
    public GreenMailProvider(EmbeddedMailServer server) {
        this.server = server;
    }

    @Override
    public synchronized CreateMailboxResult createMailbox(NewMailbox mailbox) {
        running();
        String email = mailbox.address().toString();
        if (!mailbox.address().domain().equals(server.domain())) {
            return new CreateMailboxResult.Rejected(
                    CreateMailboxResult.Reason.DOMAIN_NOT_MANAGED,
                    "the embedded mail server only holds " + server.domain());
        }
        if (server.users().getUserByEmail(email) != null || disabled.containsKey(email)) {
            return new CreateMailboxResult.AlreadyExists();
        }
        try {
            server.users().createUser(email, email, mailbox.password().value());
        } catch (UserException e) {
            return new CreateMailboxResult.Rejected(CreateMailboxResult.Reason.OTHER, e.getMessage());
        }
        tags.put(email, Mailbox.tagFor(mailbox.token()));
        return new CreateMailboxResult.Created();
    }

    @Override
    public synchronized List<MailboxDeletion> deleteMailboxes(List<EmailAddress> addresses) {
        running();
        List<MailboxDeletion> results = new ArrayList<>(addresses.size());
        for (EmailAddress address : addresses) {
            String email = address.toString();
            GreenMailUser user = server.users().getUserByEmail(email);
            if (user == null && disabled.remove(email) == null) {
                results.add(MailboxDeletion.failed(address, "no such mailbox"));
                continue;
            }
            if (user != null) {
                server.users().deleteUser(user);
            }
            tags.remove(email);
            logins.remove(email);
            results.add(MailboxDeletion.deleted(address));
        }
        return results;
    }

    @Override
    public synchronized boolean setActive(EmailAddress address, boolean active) {
        running();
        String email = address.toString();
        GreenMailUser user = server.users().getUserByEmail(email);
        if (active && user == null && disabled.containsKey(email)) {
            try {
                server.users().createUser(email, email, disabled.remove(email));
            } catch (UserException e) {
                throw new IllegalStateException("cannot re-enable " + email + ": " + e.getMessage(), e);
            }
            return true;
        }
        if (!active && user != null) {
            disabled.put(email, user.getPassword());
            server.users().deleteUser(user);
            return true;
        }
        return user != null || disabled.containsKey(email);
    }

    @Override
    public Optional<Mailbox> findMailbox(EmailAddress address) {
        running();
        String email = address.toString();
        GreenMailUser user = server.users().getUserByEmail(email);
        if (user != null) {
            return Optional.of(toMailbox(email, true));
        }
        return disabled.containsKey(email) ? Optional.of(toMailbox(email, false)) : Optional.empty();
    }

    @Override
    public List<Mailbox> listMailboxes() {
        running();
        List<Mailbox> all = new ArrayList<>();
        for (GreenMailUser user : server.users().listUser()) {
            all.add(toMailbox(user.getEmail(), true));
        }
        disabled.keySet().forEach(email -> all.add(toMailbox(email, false)));
        return all;
    }

    @Override
    public void checkHealth() {
        running();
    }

    /** Makes {@link Mailbox#lastLogin()} report this time (GreenMail itself does not tell). */
    public void recordLogin(EmailAddress address, Instant when) {
        logins.put(address.toString(), when);
    }

    private Mailbox toMailbox(String email, boolean active) {
        String tag = tags.get(email);
        return new Mailbox(
                EmailAddress.parse(email),
                active,
                Optional.ofNullable(logins.get(email)),
                tag == null ? List.of() : List.of(tag));
    }

    private void running() {
        if (!server.isRunning()) {
            throw new MailProviderUnavailableException("the embedded mail server is not running", false, null);
        }
    }

    @Override
    public String toString() {
        return "GreenMailProvider[" + server + "]";
    }
}
