package org.mailadm.greenmail;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.user.UserManager;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.util.Objects;

/**
 * A real SMTP and IMAP server in this JVM (GreenMail), for trying mailadm without a mailcow and for
 * end-to-end tests. Plain text only, mail kept in memory, mail delivered only to mailboxes that
 * exist. Not for production.
 */
public final class EmbeddedMailServer implements AutoCloseable {
    /** Where the servers listen and for which domain they hold mailboxes. */
    public record Options(String domain, String bindAddress, int smtpPort, int imapPort) {
        /** GreenMail's usual ports, on this machine only. */
        public static Options defaults(String domain) {
            return new Options(domain, "127.0.0.1", 3025, 3143);
        }

        /** Any free ports (for tests). */
        public static Options anyPorts(String domain) {
            return new Options(domain, "127.0.0.1", 0, 0);
        }

        public Options {
            Objects.requireNonNull(domain, "domain == null");
            Objects.requireNonNull(bindAddress, "bindAddress == null");
            if (smtpPort < 0 || smtpPort > 65535 || imapPort < 0 || imapPort > 65535) {
                throw new IllegalArgumentException("ports must be 0-65535");
            }
        }
    }

    private final Options options;
    private final GreenMail greenMail;

    private EmbeddedMailServer(Options options, GreenMail greenMail) {
        this.options = options;
        this.greenMail = greenMail;
    }

    /**
     * Starts the servers.
     *
     * @throws IllegalStateException when a port is taken, naming it
     */
    public static EmbeddedMailServer start(Options options) {
        ServerSetup smtp = new ServerSetup(options.smtpPort(), options.bindAddress(), ServerSetup.PROTOCOL_SMTP);
        ServerSetup imap = new ServerSetup(options.imapPort(), options.bindAddress(), ServerSetup.PROTOCOL_IMAP);
        if (options.smtpPort() == 0) {
            smtp = smtp.dynamicPort();
        }
        if (options.imapPort() == 0) {
            imap = imap.dynamicPort();
        }
        GreenMail greenMail = new GreenMail(new ServerSetup[] {smtp, imap});
        greenMail.withConfiguration(GreenMailConfiguration.aConfig());
        UserManager users = greenMail.getUserManager();
        users.setAuthRequired(true);
        // By default GreenMail invents a mailbox for any recipient; a real server refuses unknown ones.
        users.setMessageDeliveryHandler((message, recipient) -> {
            GreenMailUser user = users.getUserByEmail(recipient.getEmail());
            if (user == null) {
                throw new UserException("no such mailbox: " + recipient.getEmail());
            }
            return user;
        });
        try {
            greenMail.start();
        } catch (RuntimeException e) {
            greenMail.stop();
            throw new IllegalStateException(
                    "cannot start the embedded mail server on " + options.bindAddress() + " (SMTP port "
                            + options.smtpPort() + ", IMAP port " + options.imapPort()
                            + "); is a port taken? choose others or 0 for any free port: " + e.getMessage(),
                    e);
        }
        return new EmbeddedMailServer(options, greenMail);
    }

    public String domain() {
        return options.domain();
    }

    public String host() {
        return options.bindAddress();
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    public boolean isRunning() {
        return greenMail.isRunning();
    }

    UserManager users() {
        return greenMail.getUserManager();
    }

    @Override
    public void close() {
        greenMail.stop();
    }

    @Override
    public String toString() {
        return "EmbeddedMailServer[" + options.domain() + ", smtp " + host() + ":" + smtpPort() + ", imap " + host()
                + ":" + imapPort() + "]";
    }
}
