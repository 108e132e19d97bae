package org.mailadm.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.mailadm.core.token.TokenName;

class AccountTest {
    private static Account account(Instant created, Duration ttl) {
        return new Account(EmailAddress.parse("a@example.org"), created, ttl, new TokenName("t"), AccountState.ACTIVE);
    }

    @Test
    void expiresAt_isCreationPlusTtl() {
        Instant c = Instant.parse("2026-11-26T00:00:00Z");
        assertThat(account(c, Duration.ofDays(1)).expiresAt()).contains(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(account(c, Duration.ofDays(1)).isOverdue(Instant.parse("2026-11-27T00:00:00Z")))
                .isFalse();
        assertThat(account(c, Duration.ofDays(1)).isOverdue(Instant.parse("2026-11-27T00:00:01Z")))
                .isTrue();
    }

    @Test
    void foreverTtl_neverOverflows() {
        Account a = account(Instant.ofEpochSecond(1795667683L), Account.FOREVER);
        assertThat(a.expiresAt()).isEmpty();
        assertThat(a.isOverdue(Instant.MAX)).isFalse();
        assertThat(account(Instant.MAX, Duration.ofSeconds(1)).expiresAt()).isEmpty();
    }

    @Test
    void password_isRedacted() {
        assertThat(new Password("hunter2-secret").toString()).doesNotContain("hunter2");
    }
}
