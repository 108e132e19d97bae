package org.mailadm.mailcow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.account.Password;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailProviderException.Kind;
import org.mailadm.core.port.MailProviderUnavailableException;
import org.mailadm.core.port.NewMailbox;
import org.mailadm.core.token.TokenName;
import org.mailadm.testing.FakeMailcowServer;

class MailcowFaultTest {
    private static final Duration TIMEOUT = Duration.ofMillis(700);
    private static final String PASSWORD = "Sup3r-secret-password-value-xyz";
    private FakeMailcowServer mailcow;
    private MailcowMailProvider provider;

    @BeforeEach
    void start() {
        mailcow = new FakeMailcowServer().start();
        provider = provider(FakeMailcowServer.RW_KEY);
    }

    @AfterEach
    void stop() {
        mailcow.close();
    }

    private MailcowMailProvider provider(String key) {
        return new MailcowMailProvider(
                mailcow.endpoint(), new ApiKey(key), new MailcowOptions(Duration.ofMillis(500), TIMEOUT, TIMEOUT, 2));
    }

    private static NewMailbox box(String address) {
        return new NewMailbox(EmailAddress.parse(address), new Password(PASSWORD), new TokenName("oneday"), 0);
    }

    private static void assertNoSecret(Throwable e) {
        assertThat(e.getMessage())
                .doesNotContain(FakeMailcowServer.RW_KEY)
                .doesNotContain("WRONG")
                .doesNotContain(PASSWORD);
    }

    @Test
    void stall_timesOutWithinTheTimeout_outcomeUnknown() {
        mailcow.failNext(1, new FakeMailcowServer.Fault.Stall(Duration.ofSeconds(5)));
        long start = System.nanoTime();
        assertThatThrownBy(() -> provider.createMailbox(box("a@example.org")))
                .isInstanceOfSatisfying(MailProviderUnavailableException.class, e -> {
                    assertThat(e.outcomeUnknown()).isTrue();
                    assertNoSecret(e);
                });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(1));
    }

    @Test
    void connectionRefused_unavailable_definitelyNotApplied() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MailcowMailProvider p = new MailcowMailProvider(
                URI.create("http://127.0.0.1:" + port + "/api/v1/"),
                new ApiKey(FakeMailcowServer.RW_KEY),
                MailcowOptions.DEFAULTS);
        assertThatThrownBy(() -> p.createMailbox(box("a@example.org")))
                .isInstanceOfSatisfying(
                        MailProviderUnavailableException.class,
                        e -> assertThat(e.outcomeUnknown()).isFalse());
    }

    @Test
    void droppedConnection_unavailable_outcomeUnknown() {
        mailcow.failNext(1, new FakeMailcowServer.Fault.DropAfterApplying());
        assertThatThrownBy(() -> provider.createMailbox(box("a@example.org")))
                .isInstanceOfSatisfying(
                        MailProviderUnavailableException.class,
                        e -> assertThat(e.outcomeUnknown()).isTrue());
        assertThat(mailcow.hasMailbox("a@example.org")).isTrue();
    }

    @Test
    void html500_badResponse() {
        mailcow.failNext(1, new FakeMailcowServer.Fault.Status(500, "<html><h1>500 Internal Server Error</h1></html>"));
        assertThatThrownBy(() -> provider.createMailbox(box("a@example.org")))
                .isInstanceOfSatisfying(MailProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
                    assertThat(e.getMessage()).contains("HTTP 500");
                });
    }

    @Test
    void truncatedJson_badResponse() {
        mailcow.failNext(1, new FakeMailcowServer.Fault.Status(200, "[{\"type\":\"success\",\"msg\":[\"mailbox_ad"));
        assertThatThrownBy(() -> provider.createMailbox(box("a@example.org")))
                .isInstanceOfSatisfying(MailProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.BAD_RESPONSE);
                    assertThat(e.outcomeUnknown()).isTrue();
                });
    }

    @Test
    void garbageBody_badResponse() {
        mailcow.failNext(1, new FakeMailcowServer.Fault.Garbage());
        assertThatThrownBy(() -> provider.listMailboxes()).isInstanceOf(MailProviderException.class);
    }

    @Test
    void objectWhereListExpected_onListing_isEmpty_otherObjectIsAnError() {
        assertThat(provider.listMailboxes()).isEmpty(); // {} means none
        mailcow.failNext(1, new FakeMailcowServer.Fault.Status(200, "{\"username\":\"x\"}"));
        assertThatThrownBy(() -> provider.listMailboxes()).isInstanceOf(MailProviderException.class);
    }

    @Test
    void wrongKey_authenticationFailed_withHint_noSecret() {
        assertThatThrownBy(() -> provider("WRONG-KEY").listMailboxes())
                .isInstanceOfSatisfying(MailProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.AUTHENTICATION_FAILED);
                    assertThat(e.getMessage()).contains("MAILCOW_TOKEN");
                    assertNoSecret(e);
                });
    }

    @Test
    void readOnlyKey_readsButCannotCreate() {
        MailcowMailProvider ro = provider(FakeMailcowServer.RO_KEY);
        assertThat(ro.listMailboxes()).isEmpty();
        assertThatThrownBy(() -> ro.createMailbox(box("a@example.org")))
                .isInstanceOfSatisfying(MailProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.READ_ONLY_KEY);
                    assertThat(e.getMessage()).contains("read-write key");
                });
    }

    @Test
    void ipNotAllowed_saysWhichSettingToFix() {
        mailcow.addKey("FAKE00-IPONLY-000000-000000-000009", "rw", List.of("10.9.9.9"), false);
        assertThatThrownBy(() -> provider("FAKE00-IPONLY-000000-000000-000009").listMailboxes())
                .isInstanceOfSatisfying(MailProviderException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.IP_NOT_ALLOWED);
                    assertThat(e.getMessage()).contains("Skip IP check");
                });
    }

    @Test
    void emptyBody_isAnError() {
        mailcow.failNext(1, new FakeMailcowServer.Fault.Status(200, ""));
        assertThatThrownBy(() -> provider.listMailboxes())
                .isInstanceOfSatisfying(
                        MailProviderException.class,
                        e -> assertThat(e.getMessage()).contains("empty answer"));
    }

    @Test
    void strictPasswordPolicy_acceptsGeneratedPasswords_rejectsWeakOnes() {
        mailcow.setPasswordPolicy(16, true, true, true, true);
        CreateMailboxResult weak = provider.createMailbox(
                new NewMailbox(EmailAddress.parse("w@example.org"), new Password("abcdefgh"), new TokenName("t"), 0));
        assertThat(weak).isInstanceOf(CreateMailboxResult.Rejected.class);
        assertThat(((CreateMailboxResult.Rejected) weak).reason())
                .isEqualTo(CreateMailboxResult.Reason.PASSWORD_REJECTED);
        var secrets = new org.mailadm.core.account.Secrets(new java.security.SecureRandom()::nextInt);
        for (int i = 0; i < 20; i++) {
            assertThat(provider.createMailbox(new NewMailbox(
                            EmailAddress.parse("s" + i + "@example.org"), secrets.password(), new TokenName("t"), 0)))
                    .isInstanceOf(CreateMailboxResult.Created.class);
        }
    }

    @Test
    void limits_mappedToLimitReached() {
        mailcow.addDomain("small.org", 1, 0, 0, 0);
        provider.createMailbox(box("a@small.org"));
        CreateMailboxResult r = provider.createMailbox(box("b@small.org"));
        assertThat(((CreateMailboxResult.Rejected) r).reason()).isEqualTo(CreateMailboxResult.Reason.LIMIT_REACHED);
    }

    @Test
    void oldMailcowVersions_understood() {
        mailcow.setPre202212(true);
        assertThat(provider.createMailbox(box("a@example.org"))).isInstanceOf(CreateMailboxResult.Created.class);
        provider.createMailbox(box("b@example.org"));
        mailcow.setBug202205(true);
        assertThat(provider.findMailbox(EmailAddress.parse("b@example.org"))
                        .orElseThrow()
                        .address()
                        .toString())
                .isEqualTo("b@example.org");
        assertThat(provider.findMailbox(EmailAddress.parse("c@example.org"))).isEmpty();
    }

    @Test
    void deletes_areBatched() {
        for (int i = 0; i < 5; i++) {
            provider.createMailbox(box("d" + i + "@example.org"));
        }
        int before = mailcow.requests("delete/mailbox");
        var result = provider.deleteMailboxes(List.of(
                EmailAddress.parse("d0@example.org"),
                EmailAddress.parse("d1@example.org"),
                EmailAddress.parse("d2@example.org"),
                EmailAddress.parse("d3@example.org"),
                EmailAddress.parse("d4@example.org")));
        assertThat(result).allMatch(d -> d.deleted());
        assertThat(mailcow.requests("delete/mailbox") - before).isEqualTo(3); // batch size 2
    }

    @Test
    void requestCarriesJsonContentTypeAndTag() {
        provider.createMailbox(box("tag@example.org"));
        assertThat(mailcow.usernamesTagged("mailadm:oneday")).containsExactly("tag@example.org");
        assertThat(mailcow.passwordOf("tag@example.org")).isEqualTo(PASSWORD);
    }

    @Test
    void toString_hidesKey() {
        assertThat(provider.toString()).doesNotContain(FakeMailcowServer.RW_KEY);
    }

    // ---- issue 11: what real mailcows answer at scale and in their odd corners

    @Test
    void listingTimeout_namesTheCallItMade() {
        mailcow.failNext(1, new FakeMailcowServer.Fault.Stall(Duration.ofSeconds(5)));
        assertThatThrownBy(() -> provider.listMailboxes())
                .isInstanceOf(MailProviderUnavailableException.class)
                .hasMessageContaining("get/mailbox/reduced");
    }

    @Test
    void listing_usesTheReducedList_oneRequest() {
        provider.createMailbox(box("l1@example.org"));
        int before = mailcow.requests("get/mailbox");
        assertThat(provider.listMailboxes())
                .extracting(m -> m.address().toString())
                .containsExactly("l1@example.org");
        assertThat(mailcow.requests("get/mailbox") - before).isEqualTo(1);
    }

    @Test
    void listing_onAMailcowWithoutReduced_fallsBackOnceAndRemembers() {
        provider.createMailbox(box("l1@example.org"));
        mailcow.setNoReducedListing(true);
        int before = mailcow.requests("get/mailbox");
        assertThat(provider.listMailboxes())
                .extracting(m -> m.address().toString())
                .containsExactly("l1@example.org");
        assertThat(mailcow.requests("get/mailbox") - before)
                .as("reduced, then all")
                .isEqualTo(2);
        assertThat(provider.listMailboxes()).hasSize(1);
        assertThat(mailcow.requests("get/mailbox") - before)
                .as("then all alone")
                .isEqualTo(3);
    }

    @Test
    void slowDeletions_batchesAndTimeoutsFollowTheMeasuredPace_nothingTimesOut() {
        for (int i = 0; i < 6; i++) {
            provider.createMailbox(box("s" + i + "@example.org"));
        }
        // each deletion takes almost half the request timeout: a batch of two would not fit
        mailcow.setDeleteLatencyPerMailbox(Duration.ofMillis(300));
        List<EmailAddress> all =
                mailcow.usernames().stream().map(EmailAddress::parse).toList();
        var result = provider.deleteMailboxes(all);
        assertThat(result).extracting(d -> d.outcome().name()).containsOnly("DELETED");
        assertThat(mailcow.usernames()).isEmpty();
    }

    @Test
    void deletionTimingOut_isUnknownNotAFailure_andMailcowGoesOnDeleting() throws Exception {
        provider.createMailbox(box("t1@example.org"));
        mailcow.setDeleteLatencyPerMailbox(Duration.ofMillis(1500)); // beyond the timeout of the first call
        var result = provider.deleteMailboxes(List.of(EmailAddress.parse("t1@example.org")));
        assertThat(result.get(0).outcome()).isEqualTo(org.mailadm.core.port.MailboxDeletion.Outcome.UNKNOWN);
        assertThat(mailcow.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(mailcow.hasMailbox("t1@example.org"))
                .as("mailcow finished the deletion")
                .isFalse();
    }

    @Test
    void quotaAboveTheDomainsMaximum_isAConfigurationErrorNamingTheMaximum() {
        mailcow.addDomain("small.org", Integer.MAX_VALUE, 0, 100, 0);
        CreateMailboxResult r = provider.createMailbox(new NewMailbox(
                EmailAddress.parse("q@small.org"), new Password(PASSWORD), new TokenName("oneday"), 500));
        assertThat(r).isInstanceOfSatisfying(CreateMailboxResult.Rejected.class, x -> {
            assertThat(x.reason()).isEqualTo(CreateMailboxResult.Reason.QUOTA_ABOVE_MAXIMUM);
            assertThat(x.detail()).contains("at most 100 MiB");
        });
    }

    @Test
    void dangerAnswerButMailboxCreated_isAnUnknownOutcome_inBothShapes() {
        mailcow.setDangerButCreated("password_complexity", false);
        assertThatThrownBy(() -> provider.createMailbox(box("d1@example.org")))
                .isInstanceOfSatisfying(MailProviderException.class, e -> {
                    assertThat(e.outcomeUnknown()).isTrue();
                    assertThat(e.getMessage()).contains("but created d1@example.org");
                });
        mailcow.setDangerButCreated("password_complexity", true);
        assertThatThrownBy(() -> provider.createMailbox(box("d2@example.org")))
                .isInstanceOfSatisfying(
                        MailProviderException.class,
                        e -> assertThat(e.outcomeUnknown()).isTrue());
        assertThat(mailcow.hasMailbox("d1@example.org")).isTrue();
        assertThat(mailcow.hasMailbox("d2@example.org")).isTrue();
    }
}
