package org.mailadm.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mailadm.core.token.TokenName;

class ExpiryPolicyTest {
    private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

    private static Account account(Duration ttl) {
        return new Account(
                EmailAddress.parse("tmp.abcde@example.org"), CREATED, ttl, new TokenName("t"), AccountState.ACTIVE);
    }

    /** ttl, seconds after creation that "now" is, last login in seconds after creation or -1 unknown, due. */
    @ParameterizedTest(name = "ttl={0}s now=+{1}s login={2} -> {3}")
    @CsvSource({
        // not overdue: kept, whatever the login
        "86400, 86400, -1, false",
        "86400, 86399, -1, false",
        // overdue, short ttl: deleted even if used recently
        "86400, 86401, -1, true",
        "86400, 86401, 86400, true",
        // just below 27 days counts as short
        "2332799, 2332800, 2332799, true",
        // exactly 27 days is long: recent login keeps it
        "2332800, 2332801, 2332800, false",
        // long ttl (40 days = 3456000 s, quarter = 864000 s): idle exactly a quarter keeps it
        "3456000, 3456001, 2592001, false",
        // idle one second more than a quarter: deleted
        "3456000, 3456001, 2592000, true",
        // long ttl, last login unknown (mailcow's 0): kept
        "3456000, 3456001, -1, false",
        // never-expiring accounts are never due
        "9223372036854775807, 999999999, -1, false"
    })
    void isDue(long ttl, long nowOffset, long loginOffset, boolean due) {
        Account a = account(Duration.ofSeconds(ttl));
        Optional<Instant> login = loginOffset < 0 ? Optional.empty() : Optional.of(CREATED.plusSeconds(loginOffset));
        assertThat(ExpiryPolicy.isDue(a, login, CREATED.plusSeconds(nowOffset))).isEqualTo(due);
    }

    @Test
    void keptForUnknownLogin_onlyForOverdueLongLivedAccounts() {
        Instant later = CREATED.plus(Duration.ofDays(41));
        assertThat(ExpiryPolicy.isKeptForUnknownLogin(account(Duration.ofDays(40)), Optional.empty(), later))
                .isTrue();
        assertThat(ExpiryPolicy.isKeptForUnknownLogin(account(Duration.ofDays(1)), Optional.empty(), later))
                .isFalse();
        assertThat(ExpiryPolicy.isKeptForUnknownLogin(account(Duration.ofDays(50)), Optional.empty(), later))
                .isFalse();
    }
}
