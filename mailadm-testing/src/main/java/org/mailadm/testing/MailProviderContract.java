package org.mailadm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.account.Password;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;
import org.mailadm.core.port.NewMailbox;
import org.mailadm.core.token.TokenName;

/**
 * The behaviour every {@link MailProvider} must have; subclassed once per implementation. The
 * provider under test must manage the domain {@code example.org} and no other.
 */
public abstract class MailProviderContract {
    protected MailProvider provider;

    protected abstract MailProvider createProvider() throws Exception;

    /** Makes the provider report an IMAP login of this mailbox at this time. */
    protected abstract void simulateLogin(EmailAddress address, Instant when);

    @BeforeEach
    void setUpProvider() throws Exception {
        provider = createProvider();
    }

    private static NewMailbox box(String address) {
        return new NewMailbox(
                EmailAddress.parse(address), new Password("Aa1-" + "x".repeat(27)), new TokenName("oneday"), 0);
    }

    @Test
    void emptyProvider_listsNothing() {
        assertThat(provider.listMailboxes()).isEmpty();
        assertThat(provider.findMailbox(EmailAddress.parse("nobody@example.org")))
                .isEmpty();
        provider.checkHealth();
    }

    @Test
    void create_thenFindAndListWithMailadmTag() {
        assertThat(provider.createMailbox(box("tmp.abc12@example.org")))
                .isInstanceOf(CreateMailboxResult.Created.class);
        Mailbox m = provider.findMailbox(EmailAddress.parse("tmp.abc12@example.org"))
                .orElseThrow();
        assertThat(m.address().toString()).isEqualTo("tmp.abc12@example.org");
        assertThat(m.active()).isTrue();
        assertThat(m.mailadmToken()).contains("oneday");
        assertThat(m.tags()).containsExactly("mailadm:oneday");
        assertThat(m.lastLogin()).isEmpty();
        assertThat(provider.listMailboxes())
                .extracting(x -> x.address().toString())
                .containsExactly("tmp.abc12@example.org");
    }

    @Test
    void createTwice_alreadyExists() {
        provider.createMailbox(box("tmp.abc12@example.org"));
        assertThat(provider.createMailbox(box("tmp.abc12@example.org")))
                .isInstanceOf(CreateMailboxResult.AlreadyExists.class);
        assertThat(provider.listMailboxes()).hasSize(1);
    }

    @Test
    void foreignDomain_rejectedAsNotManaged() {
        CreateMailboxResult r = provider.createMailbox(box("y@nosuch.org"));
        assertThat(r).isInstanceOf(CreateMailboxResult.Rejected.class);
        assertThat(((CreateMailboxResult.Rejected) r).reason())
                .isEqualTo(CreateMailboxResult.Reason.DOMAIN_NOT_MANAGED);
    }

    @Test
    void delete_perAddressResults() {
        provider.createMailbox(box("a1@example.org"));
        provider.createMailbox(box("a2@example.org"));
        List<MailboxDeletion> r = provider.deleteMailboxes(List.of(
                EmailAddress.parse("a1@example.org"),
                EmailAddress.parse("nobody@example.org"),
                EmailAddress.parse("a2@example.org")));
        assertThat(r)
                .extracting(d -> d.address().toString() + "=" + d.deleted())
                .containsExactly("a1@example.org=true", "nobody@example.org=false", "a2@example.org=true");
        assertThat(provider.listMailboxes()).isEmpty();
        assertThat(provider.deleteMailboxes(List.of())).isEmpty();
    }

    @Test
    void lastLogin_reported() {
        provider.createMailbox(box("a1@example.org"));
        Instant login = Instant.parse("2026-11-21T11:00:00Z");
        simulateLogin(EmailAddress.parse("a1@example.org"), login);
        assertThat(provider.findMailbox(EmailAddress.parse("a1@example.org"))
                        .orElseThrow()
                        .lastLogin())
                .contains(login);
        assertThat(provider.listMailboxes().get(0).lastLogin()).contains(login);
    }

    @Test
    void setActive_disablesAndEnablesAMailbox() {
        provider.createMailbox(box("a1@example.org"));
        EmailAddress a1 = EmailAddress.parse("a1@example.org");
        assertThat(provider.setActive(a1, false)).isTrue();
        assertThat(provider.findMailbox(a1).orElseThrow().active()).isFalse();
        assertThat(provider.setActive(a1, true)).isTrue();
        assertThat(provider.findMailbox(a1).orElseThrow().active()).isTrue();
        assertThat(provider.setActive(EmailAddress.parse("nobody@example.org"), false))
                .isFalse();
    }
}
