package org.mailadm.mailcow;

import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.port.MailProvider;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.MailProviderContract;

/** The provider contract, against the adapter talking real HTTP to the fake mailcow. */
class MailcowMailProviderTest extends MailProviderContract {
    private FakeMailcowServer mailcow;

    @Override
    protected MailProvider createProvider() {
        mailcow = new FakeMailcowServer().start();
        return new MailcowMailProvider(
                mailcow.endpoint(), new ApiKey(FakeMailcowServer.RW_KEY), MailcowOptions.DEFAULTS);
    }

    @Override
    protected void simulateLogin(EmailAddress address, Instant when) {
        mailcow.setLastImapLogin(address.toString(), when.getEpochSecond());
    }

    @AfterEach
    void stop() {
        mailcow.close();
    }

    @org.junit.jupiter.api.Test
    void quotaAndDisable_reachMailcowAsRecorded() {
        provider.createMailbox(new org.mailadm.core.port.NewMailbox(
                EmailAddress.parse("tmp.q1@example.org"),
                new org.mailadm.core.account.Password("Aa1-" + "x".repeat(27)),
                new org.mailadm.core.token.TokenName("oneday"),
                500));
        org.assertj.core.api.Assertions.assertThat(mailcow.quotaMiBOf("tmp.q1@example.org"))
                .isEqualTo(500);
        provider.setActive(EmailAddress.parse("tmp.q1@example.org"), false);
        org.assertj.core.api.Assertions.assertThat(mailcow.isActive("tmp.q1@example.org"))
                .isFalse();
    }

    @org.junit.jupiter.api.Test
    void disableWithAReadOnlyKey_saysWhichSettingToFix() {
        provider.createMailbox(new org.mailadm.core.port.NewMailbox(
                EmailAddress.parse("tmp.q2@example.org"),
                new org.mailadm.core.account.Password("Aa1-" + "x".repeat(27)),
                new org.mailadm.core.token.TokenName("oneday"),
                0));
        MailcowMailProvider readOnly = new MailcowMailProvider(
                mailcow.endpoint(), new ApiKey(FakeMailcowServer.RO_KEY), MailcowOptions.DEFAULTS);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> readOnly.setActive(EmailAddress.parse("tmp.q2@example.org"), false))
                .isInstanceOf(org.mailadm.core.port.MailProviderException.class)
                .hasMessageContaining("read")
                .hasMessageNotContaining(FakeMailcowServer.RO_KEY);
        org.assertj.core.api.Assertions.assertThat(mailcow.isActive("tmp.q2@example.org"))
                .isTrue();
    }
}
