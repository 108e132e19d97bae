package org.mailadm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.Storage;
import org.mailadm.core.port.Storage.Reservation;
import org.mailadm.core.port.Storage.TokenInsert;
import org.mailadm.core.port.Storage.TokenKey;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;

/**
 * The behaviour every {@link Storage} must have. Subclass it once per implementation; the same
 * tests run against the in-memory fake and the real adapters.
 */
public abstract class StorageContract {
    protected static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    protected Storage storage;

    /** A fresh, empty storage. */
    protected abstract Storage createStorage() throws Exception;

    @BeforeEach
    void setUpStorage() throws Exception {
        storage = createStorage();
    }

    protected static EmailAddress addr(String s) {
        return EmailAddress.parse(s);
    }

    private Account reserve(String token, String address) {
        Reservation r = storage.reserveAccount(new TokenKey.ByName(new TokenName(token)), addr(address), NOW);
        assertThat(r).isInstanceOf(Reservation.Reserved.class);
        return ((Reservation.Reserved) r).account();
    }

    @Test
    void settings_roundTrip() {
        assertThat(storage.settings()).isEmpty();
        Settings s = new Settings(
                "example.org",
                URI.create("https://mailadm.example.org/new_email"),
                URI.create("https://mailcow.example.org/api/v1/"),
                new ApiKey("932848-324B2E-787E98-FCA29D-89789A"));
        storage.saveSettings(s);
        assertThat(storage.settings()).contains(s);
        assertThat(storage.configEntries())
                .extracting(Storage.ConfigEntry::name)
                .contains("dbversion", "mail_domain", "web_endpoint", "mailcow_endpoint", "mailcow_token");
    }

    @Test
    void insertToken_thenFindByNameAndSecret() {
        Token t = TestTokens.aToken().build();
        assertThat(storage.insertToken(t)).isEqualTo(TokenInsert.INSERTED);
        assertThat(storage.findToken(t.name())).contains(t);
        assertThat(storage.findToken(t.secret())).contains(t);
        assertThat(storage.findToken(new TokenSecret("nosuch"))).isEmpty();
        assertThat(storage.listTokens()).containsExactly(t);
    }

    @Test
    void insertToken_duplicateNameOrSecret_refused() {
        storage.insertToken(TestTokens.aToken().build());
        assertThat(storage.insertToken(TestTokens.aToken().withSecret("other").build()))
                .isEqualTo(TokenInsert.NAME_TAKEN);
        assertThat(storage.insertToken(TestTokens.aToken().named("other").build()))
                .isEqualTo(TokenInsert.SECRET_TAKEN);
        assertThat(storage.listTokens()).hasSize(1);
    }

    @Test
    void listTokens_inNameOrder() {
        storage.insertToken(TestTokens.aToken().named("b").withSecret("s1").build());
        storage.insertToken(TestTokens.aToken().named("a").withSecret("s2").build());
        assertThat(storage.listTokens()).extracting(t -> t.name().value()).containsExactly("a", "b");
    }

    @Test
    void updateToken_keepsUseCountAndSecret() {
        storage.insertToken(TestTokens.aToken().withUseCount(7).build());
        Token updated = storage.updateToken(new TokenName("oneday"), Expiry.parse("2w"), "x.", 99, TokenPolicy.NONE)
                .orElseThrow();
        assertThat(updated.useCount()).isEqualTo(7);
        assertThat(updated.secret().value()).isEqualTo("1d_r84EW3N8hEKk");
        assertThat(updated.expiry().code()).isEqualTo("2w");
        assertThat(storage.findToken(new TokenName("oneday"))).contains(updated);
        assertThat(storage.updateToken(new TokenName("nosuch"), Expiry.NEVER, "", 1, TokenPolicy.NONE))
                .isEmpty();
    }

    @Test
    void tokenPolicy_roundTrips() {
        TokenPolicy policy = new TokenPolicy(
                Optional.of(Instant.parse("2026-12-01T00:00:00Z")),
                Optional.of(Instant.parse("2027-01-01T00:00:00Z")),
                Optional.of(Expiry.parse("7d")),
                500);
        storage.insertToken(TestTokens.aToken().build());
        storage.updateToken(new TokenName("oneday"), Expiry.parse("1d"), "tmp.", 50, policy);
        assertThat(storage.findToken(new TokenName("oneday")).orElseThrow().policy())
                .isEqualTo(policy);
        storage.updateToken(new TokenName("oneday"), Expiry.parse("1d"), "tmp.", 50, TokenPolicy.NONE);
        assertThat(storage.findToken(new TokenName("oneday")).orElseThrow().policy())
                .isEqualTo(TokenPolicy.NONE);
    }

    @Test
    void rotateSecret_keepsEverythingButTheSecret() {
        storage.insertToken(TestTokens.aToken().withUseCount(3).build());
        storage.insertToken(
                TestTokens.aToken().named("other").withSecret("1d_other").build());
        TokenName name = new TokenName("oneday");
        assertThat(storage.rotateSecret(name, new TokenSecret("1d_other")))
                .isEqualTo(Storage.TokenRotation.SECRET_TAKEN);
        assertThat(storage.rotateSecret(name, new TokenSecret("1d_fresh"))).isEqualTo(Storage.TokenRotation.ROTATED);
        assertThat(storage.findToken(new TokenSecret("1d_r84EW3N8hEKk"))).isEmpty();
        Token t = storage.findToken(new TokenSecret("1d_fresh")).orElseThrow();
        assertThat(t.name()).isEqualTo(name);
        assertThat(t.useCount()).isEqualTo(3);
        assertThat(storage.rotateSecret(new TokenName("nosuch"), new TokenSecret("1d_x")))
                .isEqualTo(Storage.TokenRotation.NOT_FOUND);
    }

    @Test
    void listPending_tellsWhetherSomeoneKnowsTheCredentials() {
        storage.insertToken(TestTokens.aToken().build());
        TokenKey oneday = new Storage.TokenKey.ByName(new TokenName("oneday"));
        EmailAddress generated = addr("tmp.gen@example.org");
        EmailAddress chosen = addr("tmp.chosen@example.org");
        EmailAddress confirmed = addr("tmp.done@example.org");
        storage.reserveAccount(oneday, generated, NOW);
        storage.reserveAccount(oneday, chosen, NOW, true);
        storage.reserveAccount(oneday, confirmed, NOW, true);
        storage.confirmAccount(confirmed);
        assertThat(storage.listPending())
                .extracting(p -> p.account().address() + " " + p.credentialsKnown() + " "
                        + p.account().state())
                .containsExactly("tmp.chosen@example.org true PENDING", "tmp.gen@example.org false PENDING");
        assertThat(storage.releaseAccount(chosen)).isTrue();
        assertThat(storage.listPending()).extracting(p -> p.account().address()).containsExactly(generated);
    }

    @Test
    void disableAndRestore_areRecordedOnTheAccount() {
        storage.insertToken(TestTokens.aToken().build());
        EmailAddress a = addr("tmp.abc@example.org");
        storage.reserveAccount(new Storage.TokenKey.ByName(new TokenName("oneday")), a, NOW);
        storage.confirmAccount(a);
        Instant later = NOW.plus(Duration.ofDays(2));
        assertThat(storage.markDisabled(a, later)).isTrue();
        assertThat(storage.findAccount(a).orElseThrow().disabledAt()).contains(later);
        Instant restored = later.plus(Duration.ofDays(1));
        assertThat(storage.markRestored(a, restored)).isTrue();
        Account back = storage.findAccount(a).orElseThrow();
        assertThat(back.disabledAt()).isEmpty();
        assertThat(back.createdAt()).isEqualTo(restored);
        assertThat(storage.markDisabled(addr("nobody@example.org"), later)).isFalse();
    }

    @Test
    void audit_keepsEventsInOrderAndFilters() {
        TokenName one = new TokenName("oneday");
        storage.recordAudit(List.of(
                new AuditEvent(NOW, "cli:root", "token.added", "oneday", Optional.of(one), "ok"),
                new AuditEvent(
                        NOW.plusSeconds(60),
                        "web:203.0.113.5",
                        "account.created",
                        "tmp.a@example.org",
                        Optional.of(one),
                        "ok"),
                new AuditEvent(NOW.plusSeconds(120), "cli:root", "prune.run", "", Optional.empty(), "deleted 0")));
        assertThat(storage.audit(Optional.empty(), Optional.empty(), 100))
                .extracting(AuditEvent::action)
                .containsExactly("token.added", "account.created", "prune.run");
        assertThat(storage.audit(Optional.of(NOW.plusSeconds(60)), Optional.empty(), 100))
                .extracting(AuditEvent::action)
                .containsExactly("account.created", "prune.run");
        assertThat(storage.audit(Optional.empty(), Optional.of(one), 1))
                .extracting(AuditEvent::action)
                .containsExactly("account.created");
        assertThat(storage.countAudit("account.created")).containsExactly(java.util.Map.entry(one, 1L));
        assertThat(storage.countAudit("account.pruned")).isEmpty();
        AuditEvent e = storage.audit(Optional.empty(), Optional.empty(), 100).get(1);
        assertThat(e.actor()).isEqualTo("web:203.0.113.5");
        assertThat(e.object()).isEqualTo("tmp.a@example.org");
        assertThat(e.time()).isEqualTo(NOW.plusSeconds(60));
    }

    @Test
    void confirmAccount_recordsItsAuditEventWithIt() {
        storage.insertToken(TestTokens.aToken().build());
        EmailAddress a = addr("tmp.abc@example.org");
        storage.reserveAccount(new Storage.TokenKey.ByName(new TokenName("oneday")), a, NOW);
        AuditEvent created = new AuditEvent(
                NOW, "web:x", "account.created", a.toString(), Optional.of(new TokenName("oneday")), "ok");
        assertThat(storage.confirmAccount(a, List.of(created))).isTrue();
        assertThat(storage.audit(Optional.empty(), Optional.empty(), 10)).containsExactly(created);
        assertThat(storage.confirmAccount(addr("nobody@example.org"), List.of(created)))
                .isFalse();
        assertThat(storage.audit(Optional.empty(), Optional.empty(), 10)).hasSize(1);
    }

    @Test
    void reserve_countsUseAndRecordsPendingAccount() {
        storage.insertToken(TestTokens.aToken().withExpiry("1w").build());
        Reservation r = storage.reserveAccount(
                new TokenKey.BySecret(new TokenSecret("1d_r84EW3N8hEKk")), addr("tmp.abcde@example.org"), NOW);
        assertThat(r).isInstanceOf(Reservation.Reserved.class);
        Account a = ((Reservation.Reserved) r).account();
        assertThat(a.state()).isEqualTo(AccountState.PENDING);
        assertThat(a.ttl()).isEqualTo(Duration.ofDays(7));
        assertThat(a.createdAt()).isEqualTo(NOW);
        assertThat(((Reservation.Reserved) r).token().useCount()).isEqualTo(1);
        assertThat(storage.findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(1);
        assertThat(storage.findAccount(a.address())).contains(a);
        assertThat(storage.listAccounts(AccountState.PENDING)).containsExactly(a);
    }

    @Test
    void reserve_unknownToken_changesNothing() {
        Reservation r = storage.reserveAccount(
                new TokenKey.BySecret(new TokenSecret("nosuch")), addr("tmp.abcde@example.org"), NOW);
        assertThat(r).isInstanceOf(Reservation.TokenNotFound.class);
        assertThat(storage.listAccounts()).isEmpty();
    }

    @Test
    void reserve_exhaustedToken_changesNothing() {
        storage.insertToken(TestTokens.aToken().withMaxUse(1).build());
        reserve("oneday", "tmp.aaaaa@example.org");
        Reservation r = storage.reserveAccount(
                new TokenKey.ByName(new TokenName("oneday")), addr("tmp.bbbbb@example.org"), NOW);
        assertThat(r).isInstanceOf(Reservation.TokenExhausted.class);
        assertThat(storage.findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(1);
        assertThat(storage.listAccounts()).hasSize(1);
    }

    @Test
    void reserve_takenAddress_changesNothing() {
        storage.insertToken(TestTokens.aToken().build());
        reserve("oneday", "tmp.aaaaa@example.org");
        Reservation r = storage.reserveAccount(
                new TokenKey.ByName(new TokenName("oneday")), addr("tmp.aaaaa@example.org"), NOW);
        assertThat(r).isInstanceOf(Reservation.AddressTaken.class);
        assertThat(storage.findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(1);
    }

    @Test
    void reserve_neverExpiringToken_storesMaximalTtl() {
        storage.insertToken(TestTokens.aToken().withExpiry("never").build());
        Account a = reserve("oneday", "tmp.aaaaa@example.org");
        assertThat(storage.findAccount(a.address()).orElseThrow().ttl()).isEqualTo(Account.FOREVER);
        assertThat(storage.findAccount(a.address()).orElseThrow().expiresAt()).isEmpty();
    }

    @Test
    void confirm_makesAccountActive() {
        storage.insertToken(TestTokens.aToken().build());
        Account a = reserve("oneday", "tmp.aaaaa@example.org");
        assertThat(storage.confirmAccount(a.address())).isTrue();
        assertThat(storage.findAccount(a.address()).orElseThrow().state()).isEqualTo(AccountState.ACTIVE);
        assertThat(storage.confirmAccount(addr("nosuch@example.org"))).isFalse();
    }

    @Test
    void release_removesPendingAccountAndGivesUseBack() {
        storage.insertToken(TestTokens.aToken().build());
        Account a = reserve("oneday", "tmp.aaaaa@example.org");
        assertThat(storage.releaseAccount(a.address())).isTrue();
        assertThat(storage.findAccount(a.address())).isEmpty();
        assertThat(storage.findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isZero();
    }

    @Test
    void release_activeAccount_isRefused() {
        storage.insertToken(TestTokens.aToken().build());
        Account a = reserve("oneday", "tmp.aaaaa@example.org");
        storage.confirmAccount(a.address());
        assertThat(storage.releaseAccount(a.address())).isFalse();
        assertThat(storage.findAccount(a.address())).isPresent();
        assertThat(storage.findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(1);
    }

    @Test
    void listAccounts_byTokenAndState_inAddressOrder() {
        storage.insertToken(TestTokens.aToken().build());
        storage.insertToken(TestTokens.aToken().named("other").withSecret("s2").build());
        reserve("oneday", "tmp.bbbbb@example.org");
        reserve("oneday", "tmp.aaaaa@example.org");
        reserve("other", "tmp.ccccc@example.org");
        storage.confirmAccount(addr("tmp.bbbbb@example.org"));
        assertThat(storage.listAccounts())
                .extracting(a -> a.address().toString())
                .containsExactly("tmp.aaaaa@example.org", "tmp.bbbbb@example.org", "tmp.ccccc@example.org");
        assertThat(storage.listAccounts(new TokenName("oneday"))).hasSize(2);
        assertThat(storage.listAccounts(AccountState.ACTIVE))
                .extracting(a -> a.address().toString())
                .containsExactly("tmp.bbbbb@example.org");
        assertThat(storage.countAccounts(new TokenName("other"))).isEqualTo(1);
    }

    @Test
    void deleteAccounts_removesRowsButKeepsUseCount() {
        storage.insertToken(TestTokens.aToken().build());
        reserve("oneday", "tmp.aaaaa@example.org");
        reserve("oneday", "tmp.bbbbb@example.org");
        int n = storage.deleteAccounts(List.of(addr("tmp.aaaaa@example.org"), addr("nosuch@example.org")));
        assertThat(n).isEqualTo(1);
        assertThat(storage.listAccounts()).hasSize(1);
        assertThat(storage.findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(2);
    }

    @Test
    void deleteToken_removesItsAccounts() {
        storage.insertToken(TestTokens.aToken().build());
        reserve("oneday", "tmp.aaaaa@example.org");
        assertThat(storage.deleteToken(new TokenName("oneday"))).isTrue();
        assertThat(storage.listTokens()).isEmpty();
        assertThat(storage.listAccounts()).isEmpty();
        assertThat(storage.deleteToken(new TokenName("oneday"))).isFalse();
    }

    @Test
    void lease_heldByOneHolderUntilReleasedOrExpired() {
        Duration ttl = Duration.ofMinutes(10);
        assertThat(storage.tryLease("prune", "a", NOW, ttl)).isTrue();
        assertThat(storage.tryLease("prune", "b", NOW.plusSeconds(60), ttl)).isFalse();
        assertThat(storage.tryLease("prune", "a", NOW.plusSeconds(60), ttl))
                .as("renewal by the holder")
                .isTrue();
        assertThat(storage.tryLease("other", "b", NOW, ttl)).isTrue();
        storage.releaseLease("prune", "b");
        assertThat(storage.tryLease("prune", "b", NOW.plusSeconds(120), ttl))
                .as("b cannot release a's lease")
                .isFalse();
        storage.releaseLease("prune", "a");
        assertThat(storage.tryLease("prune", "b", NOW.plusSeconds(120), ttl)).isTrue();
        assertThat(storage.tryLease("prune", "c", NOW.plusSeconds(120).plus(ttl), ttl))
                .as("expired lease is free")
                .isTrue();
    }

    @Test
    void concurrentReservations_neverExceedMaxUse() throws Exception {
        storage.insertToken(TestTokens.aToken().withMaxUse(100).build());
        int threads = 32;
        int perThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                Callable<Integer> task = () -> {
                    start.await();
                    int ok = 0;
                    for (int i = 0; i < perThread; i++) {
                        Reservation r = storage.reserveAccount(
                                new TokenKey.BySecret(new TokenSecret("1d_r84EW3N8hEKk")),
                                addr("tmp.t" + thread + "n" + i + "@example.org"),
                                NOW);
                        if (r instanceof Reservation.Reserved) {
                            ok++;
                        } else {
                            assertThat(r).isInstanceOf(Reservation.TokenExhausted.class);
                        }
                    }
                    return ok;
                };
                results.add(pool.submit(task));
            }
            start.countDown();
            int succeeded = 0;
            for (Future<Integer> f : results) {
                succeeded += f.get(60, TimeUnit.SECONDS);
            }
            assertThat(succeeded).isEqualTo(100);
        } finally {
            pool.shutdownNow();
        }
        assertThat(storage.findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(100);
        assertThat(storage.listAccounts(AccountState.PENDING)).hasSize(100);
    }
}
