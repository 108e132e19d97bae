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

    /** The adapter with deletion batches of two addresses, so that a few addresses make many calls. */
    private MailcowMailProvider batchesOfTwo() {
        MailcowOptions d = MailcowOptions.DEFAULTS;
        return new MailcowMailProvider(
                mailcow.endpoint(),
                new ApiKey(FakeMailcowServer.RW_KEY),
                new MailcowOptions(d.connectTimeout(), d.requestTimeout(), d.listTimeout(), 2));
    }

    @org.junit.jupiter.api.Test
    void manyBatches_inFlightTogether_resultsInTheGivenOrder() {
        MailcowMailProvider small = batchesOfTwo();
        java.util.List<EmailAddress> addresses = new java.util.ArrayList<>();
        for (int i = 0; i < 9; i++) {
            EmailAddress a = EmailAddress.parse("tmp.b" + i + "@example.org");
            addresses.add(a);
            if (i % 3 != 1) {
                mailcow.putMailbox(a.toString(), "pw", java.util.List.of("mailadm:oneday"));
            }
        }
        int before = mailcow.requests("delete/mailbox");
        java.util.List<org.mailadm.core.port.MailboxDeletion> r = small.deleteMailboxes(addresses);
        org.assertj.core.api.Assertions.assertThat(r)
                .extracting(d -> d.address().localPart() + "=" + d.deleted())
                .containsExactly(
                        "tmp.b0=true",
                        "tmp.b1=false",
                        "tmp.b2=true",
                        "tmp.b3=true",
                        "tmp.b4=false",
                        "tmp.b5=true",
                        "tmp.b6=true",
                        "tmp.b7=false",
                        "tmp.b8=true");
        org.assertj.core.api.Assertions.assertThat(mailcow.requests("delete/mailbox") - before)
                .isEqualTo(5);
        org.assertj.core.api.Assertions.assertThat(mailcow.usernames()).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void aBatchWhoseAnswerIsLost_comesBackUnknown_theOthersDeleted() {
        MailcowMailProvider small = batchesOfTwo();
        java.util.List<EmailAddress> addresses = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            addresses.add(EmailAddress.parse("tmp.c" + i + "@example.org"));
            mailcow.putMailbox("tmp.c" + i + "@example.org", "pw", java.util.List.of("mailadm:oneday"));
        }
        // the first call (one address, to measure the pace) is answered; the next one fails with a 500
        small.deleteMailboxes(addresses.subList(0, 1));
        mailcow.failNext(1, new FakeMailcowServer.Fault.Status(500, "{\"type\":\"error\"}"));
        java.util.List<org.mailadm.core.port.MailboxDeletion> r = small.deleteMailboxes(addresses.subList(1, 5));
        org.assertj.core.api.Assertions.assertThat(r)
                .extracting(d -> d.outcome().name())
                .containsExactlyInAnyOrder("UNKNOWN", "UNKNOWN", "DELETED", "DELETED");
        org.assertj.core.api.Assertions.assertThat(r)
                .filteredOn(d -> d.outcome() == org.mailadm.core.port.MailboxDeletion.Outcome.UNKNOWN)
                .allSatisfy(d ->
                        org.assertj.core.api.Assertions.assertThat(d.detail()).contains("HTTP 500"));
    }
}
