package org.mailadm.greenmail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.account.Password;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderUnavailableException;
import org.mailadm.core.port.NewMailbox;
import org.mailadm.core.token.TokenName;

/** The mailboxes the provider creates are real: a mail client logs in, sends and reads. */
class EmbeddedMailServerTest {
    private final EmbeddedMailServer server =
            EmbeddedMailServer.start(EmbeddedMailServer.Options.anyPorts("example.org"));
    private final MailProvider provider = new GreenMailProvider(server);

    @AfterEach
    void stop() {
        server.close();
    }

    private void create(String address, String password) {
        provider.createMailbox(
                new NewMailbox(EmailAddress.parse(address), new Password(password), new TokenName("demo"), 0));
    }

    private Session session() {
        Properties p = new Properties();
        p.put("mail.smtp.host", server.host());
        p.put("mail.smtp.port", String.valueOf(server.smtpPort()));
        p.put("mail.smtp.auth", "true");
        p.put("mail.imap.host", server.host());
        p.put("mail.imap.port", String.valueOf(server.imapPort()));
        return Session.getInstance(p);
    }

    private Store imap(String user, String password) throws MessagingException {
        Store store = session().getStore("imap");
        store.connect(server.host(), server.imapPort(), user, password);
        return store;
    }

    @Test
    void createdMailboxes_sendAndReceiveOverSmtpAndImap() throws Exception {
        create("tmp.alice@example.org", "alice+pw");
        create("tmp.bob@example.org", "bob pw&");
        MimeMessage mail = new MimeMessage(session());
        mail.setFrom("tmp.alice@example.org");
        mail.setRecipients(Message.RecipientType.TO, "tmp.bob@example.org");
        mail.setSubject("hello");
        mail.setText("hi bob");
        Transport.send(mail, "tmp.alice@example.org", "alice+pw");

        try (Store store = imap("tmp.bob@example.org", "bob pw&")) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            assertThat(inbox.getMessage(1).getSubject()).isEqualTo("hello");
            assertThat(((InternetAddress) inbox.getMessage(1).getFrom()[0]).getAddress())
                    .isEqualTo("tmp.alice@example.org");
        }
    }

    @Test
    void wrongPasswordOrDeletedMailbox_cannotLogIn() throws Exception {
        create("tmp.alice@example.org", "right");
        assertThatThrownBy(() -> imap("tmp.alice@example.org", "wrong"))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> imap("tmp.nobody@example.org", "right"))
                .isInstanceOf(AuthenticationFailedException.class);
        provider.deleteMailboxes(java.util.List.of(EmailAddress.parse("tmp.alice@example.org")));
        assertThatThrownBy(() -> imap("tmp.alice@example.org", "right"))
                .isInstanceOf(AuthenticationFailedException.class);
    }

    @Test
    void disabledMailbox_cannotLogIn_untilEnabledAgain() throws Exception {
        create("tmp.alice@example.org", "pw1");
        EmailAddress alice = EmailAddress.parse("tmp.alice@example.org");
        assertThat(provider.setActive(alice, false)).isTrue();
        assertThatThrownBy(() -> imap("tmp.alice@example.org", "pw1"))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThat(provider.listMailboxes())
                .singleElement()
                .satisfies(m -> assertThat(m.active()).isFalse());
        assertThat(provider.setActive(alice, true)).isTrue();
        imap("tmp.alice@example.org", "pw1").close();
    }

    @Test
    void mailToUnknownRecipient_refused() throws Exception {
        create("tmp.alice@example.org", "pw");
        MimeMessage mail = new MimeMessage(session());
        mail.setFrom("tmp.alice@example.org");
        mail.setRecipients(Message.RecipientType.TO, "tmp.nobody@example.org");
        mail.setText("lost?");
        assertThatThrownBy(() -> Transport.send(mail, "tmp.alice@example.org", "pw"))
                .isInstanceOf(MessagingException.class);
        assertThat(provider.listMailboxes()).hasSize(1);
    }

    @Test
    void takenPort_saysWhichAndWhatToDo() {
        assertThatThrownBy(() -> EmbeddedMailServer.start(
                        new EmbeddedMailServer.Options("example.org", "127.0.0.1", server.smtpPort(), 0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SMTP port " + server.smtpPort())
                .hasMessageContaining("0 for any free port");
    }

    @Test
    void stoppedServer_isUnavailable() {
        server.close();
        assertThatThrownBy(provider::checkHealth).isInstanceOf(MailProviderUnavailableException.class);
    }
}
