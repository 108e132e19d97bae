package org.mailadm.testing;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.port.AccountStore.Reservation;
import org.mailadm.core.port.AccountStore.TokenKey;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenSecret;

/**
 * The behaviour every {@link org.mailadm.core.port.AccountStore} must have, run by {@link StorageContract} against each whole
 * store.
 */
public interface AccountStoreContract extends StorageFixture {
    @Test
    default void listPending_tellsWhetherSomeoneKnowsTheCredentials() {
        storage().insertToken(TestTokens.aToken().build());
        TokenKey oneday = new TokenKey.ByName(new TokenName("oneday"));
        EmailAddress generated = addr("tmp.gen@example.org");
        EmailAddress chosen = addr("tmp.chosen@example.org");
        EmailAddress confirmed = addr("tmp.done@example.org");
        storage().reserveAccount(oneday, generated, NOW);
        storage().reserveAccount(oneday, chosen, NOW, true);
        storage().reserveAccount(oneday, confirmed, NOW, true);
        storage().confirmAccount(confirmed);
        assertThat(storage().listPending())
                .extracting(p -> p.account().address() + " " + p.credentialsKnown() + " "
                        + p.account().state())
                .containsExactly("tmp.chosen@example.org true PENDING", "tmp.gen@example.org false PENDING");
        assertThat(storage().releaseAccount(chosen)).isTrue();
        assertThat(storage().listPending())
                .extracting(p -> p.account().address())
                .containsExactly(generated);
    }

    @Test
    default void disableAndRestore_areRecordedOnTheAccount() {
        storage().insertToken(TestTokens.aToken().build());
        EmailAddress a = addr("tmp.abc@example.org");
        storage().reserveAccount(new TokenKey.ByName(new TokenName("oneday")), a, NOW);
        storage().confirmAccount(a);
        Instant later = NOW.plus(Duration.ofDays(2));
        assertThat(storage().markDisabled(a, later)).isTrue();
        assertThat(storage().findAccount(a).orElseThrow().disabledAt()).contains(later);
        Instant restored = later.plus(Duration.ofDays(1));
        assertThat(storage().markRestored(a, restored)).isTrue();
        Account back = storage().findAccount(a).orElseThrow();
        assertThat(back.disabledAt()).isEmpty();
        assertThat(back.createdAt()).isEqualTo(restored);
        assertThat(storage().markDisabled(addr("nobody@example.org"), later)).isFalse();
    }

    @Test
    default void confirmAccount_recordsItsAuditEventWithIt() {
        storage().insertToken(TestTokens.aToken().build());
        EmailAddress a = addr("tmp.abc@example.org");
        storage().reserveAccount(new TokenKey.ByName(new TokenName("oneday")), a, NOW);
        AuditEvent created = new AuditEvent(
                NOW,
                "web:x",
                AuditAction.ACCOUNT_CREATED,
                a.toString(),
                Optional.of(new TokenName("oneday")),
                AuditOutcome.ok());
        assertThat(storage().confirmAccount(a, List.of(created))).isTrue();
        assertThat(storage().audit(Optional.empty(), Optional.empty(), 10)).containsExactly(created);
        assertThat(storage().confirmAccount(addr("nobody@example.org"), List.of(created)))
                .isFalse();
        assertThat(storage().audit(Optional.empty(), Optional.empty(), 10)).hasSize(1);
    }

    @Test
    default void reserve_countsUseAndRecordsPendingAccount() {
        storage().insertToken(TestTokens.aToken().withExpiry("1w").build());
        Reservation r = storage()
                .reserveAccount(
                        new TokenKey.BySecret(new TokenSecret("1d_r84EW3N8hEKk")), addr("tmp.abcde@example.org"), NOW);
        assertThat(r).isInstanceOf(Reservation.Reserved.class);
        Account a = ((Reservation.Reserved) r).account();
        assertThat(a.state()).isEqualTo(AccountState.PENDING);
        assertThat(a.ttl()).isEqualTo(Duration.ofDays(7));
        assertThat(a.createdAt()).isEqualTo(NOW);
        assertThat(((Reservation.Reserved) r).token().useCount()).isEqualTo(1);
        assertThat(storage().findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(1);
        assertThat(storage().findAccount(a.address())).contains(a);
        assertThat(storage().listAccounts(AccountState.PENDING)).containsExactly(a);
    }

    @Test
    default void reserve_unknownToken_changesNothing() {
        Reservation r = storage()
                .reserveAccount(new TokenKey.BySecret(new TokenSecret("nosuch")), addr("tmp.abcde@example.org"), NOW);
        assertThat(r).isInstanceOf(Reservation.TokenNotFound.class);
        assertThat(storage().listAccounts()).isEmpty();
    }

    @Test
    default void reserve_exhaustedToken_changesNothing() {
        storage().insertToken(TestTokens.aToken().withMaxUse(1).build());
        reserve("oneday", "tmp.aaaaa@example.org");
        Reservation r = storage()
                .reserveAccount(new TokenKey.ByName(new TokenName("oneday")), addr("tmp.bbbbb@example.org"), NOW);
        assertThat(r).isInstanceOf(Reservation.TokenExhausted.class);
        assertThat(storage().findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(1);
        assertThat(storage().listAccounts()).hasSize(1);
    }

    @Test
    default void reserve_takenAddress_changesNothing() {
        storage().insertToken(TestTokens.aToken().build());
        reserve("oneday", "tmp.aaaaa@example.org");
        Reservation r = storage()
                .reserveAccount(new TokenKey.ByName(new TokenName("oneday")), addr("tmp.aaaaa@example.org"), NOW);
        assertThat(r).isInstanceOf(Reservation.AddressTaken.class);
        assertThat(storage().findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(1);
    }

    @Test
    default void reserve_neverExpiringToken_storesMaximalTtl() {
        storage().insertToken(TestTokens.aToken().withExpiry("never").build());
        Account a = reserve("oneday", "tmp.aaaaa@example.org");
        assertThat(storage().findAccount(a.address()).orElseThrow().ttl()).isEqualTo(Account.FOREVER);
        assertThat(storage().findAccount(a.address()).orElseThrow().expiresAt()).isEmpty();
    }

    @Test
    default void confirm_makesAccountActive() {
        storage().insertToken(TestTokens.aToken().build());
        Account a = reserve("oneday", "tmp.aaaaa@example.org");
        assertThat(storage().confirmAccount(a.address())).isTrue();
        assertThat(storage().findAccount(a.address()).orElseThrow().state()).isEqualTo(AccountState.ACTIVE);
        assertThat(storage().confirmAccount(addr("nosuch@example.org"))).isFalse();
    }

    @Test
    default void release_removesPendingAccountAndGivesUseBack() {
        storage().insertToken(TestTokens.aToken().build());
        Account a = reserve("oneday", "tmp.aaaaa@example.org");
        assertThat(storage().releaseAccount(a.address())).isTrue();
        assertThat(storage().findAccount(a.address())).isEmpty();
        assertThat(storage().findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isZero();
    }

    @Test
    default void release_activeAccount_isRefused() {
        storage().insertToken(TestTokens.aToken().build());
        Account a = reserve("oneday", "tmp.aaaaa@example.org");
        storage().confirmAccount(a.address());
        assertThat(storage().releaseAccount(a.address())).isFalse();
        assertThat(storage().findAccount(a.address())).isPresent();
        assertThat(storage().findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(1);
    }

    @Test
    default void listAccounts_byTokenAndState_inAddressOrder() {
        storage().insertToken(TestTokens.aToken().build());
        storage()
                .insertToken(TestTokens.aToken().named("other").withSecret("s2").build());
        reserve("oneday", "tmp.bbbbb@example.org");
        reserve("oneday", "tmp.aaaaa@example.org");
        reserve("other", "tmp.ccccc@example.org");
        storage().confirmAccount(addr("tmp.bbbbb@example.org"));
        assertThat(storage().listAccounts())
                .extracting(a -> a.address().toString())
                .containsExactly("tmp.aaaaa@example.org", "tmp.bbbbb@example.org", "tmp.ccccc@example.org");
        assertThat(storage().listAccounts(new TokenName("oneday"))).hasSize(2);
        assertThat(storage().listAccounts(AccountState.ACTIVE))
                .extracting(a -> a.address().toString())
                .containsExactly("tmp.bbbbb@example.org");
        assertThat(storage().countAccounts(new TokenName("other"))).isEqualTo(1);
    }

    @Test
    default void deleteAccounts_removesRowsButKeepsUseCount() {
        storage().insertToken(TestTokens.aToken().build());
        reserve("oneday", "tmp.aaaaa@example.org");
        reserve("oneday", "tmp.bbbbb@example.org");
        int n = storage().deleteAccounts(List.of(addr("tmp.aaaaa@example.org"), addr("nosuch@example.org")));
        assertThat(n).isEqualTo(1);
        assertThat(storage().listAccounts()).hasSize(1);
        assertThat(storage().findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(2);
    }

    @Test
    default void concurrentReservations_neverExceedMaxUse() throws Exception {
        storage().insertToken(TestTokens.aToken().withMaxUse(100).build());
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
                        Reservation r = storage()
                                .reserveAccount(
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
        assertThat(storage().findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isEqualTo(100);
        assertThat(storage().listAccounts(AccountState.PENDING)).hasSize(100);
    }
}
