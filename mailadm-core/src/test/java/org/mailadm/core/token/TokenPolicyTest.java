package org.mailadm.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenPolicyTest {
    @Test
    void dates_fromIsStartOfDay_untilIsEndOfDay_utc() {
        assertThat(TokenPolicy.parseFrom("2026-12-01")).contains(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(TokenPolicy.parseUntil("2026-12-31")).contains(Instant.parse("2027-01-01T00:00:00Z"));
        assertThat(TokenPolicy.parseUntil("2026-12-31T18:00")).contains(Instant.parse("2026-12-31T18:00:00Z"));
        assertThat(TokenPolicy.parseUntil("2026-12-31T18:00+01:00")).contains(Instant.parse("2026-12-31T17:00:00Z"));
        assertThat(TokenPolicy.parseUntil("2026-12-31T18:00:00Z")).contains(Instant.parse("2026-12-31T18:00:00Z"));
        assertThat(TokenPolicy.parseUntil("none")).isEmpty();
    }

    @Test
    void badDates_sayWhatToWrite() {
        for (String bad : new String[] {"31.12.2026", "2026-13-01", "tomorrow", "", "2026-12-31T25:00", "\u0000"}) {
            assertThatThrownBy(() -> TokenPolicy.parseUntil(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("use 2026-12-31");
        }
    }

    @Test
    void window_endsBeforeItStarts_refused() {
        assertThatThrownBy(() -> new TokenPolicy(
                        TokenPolicy.parseFrom("2027-01-01"), TokenPolicy.parseUntil("2026-12-31"), Optional.empty(), 0))
                .hasMessageContaining("--valid-from must be before --valid-until");
    }

    @Test
    void validity_atTheEdges() {
        TokenPolicy p = TokenPolicy.NONE
                .withValidFrom(TokenPolicy.parseFrom("2026-12-01"))
                .withValidUntil(TokenPolicy.parseUntil("2026-12-31"));
        assertThat(p.validityAt(Instant.parse("2026-11-30T23:59:59Z"))).isEqualTo(TokenPolicy.Validity.NOT_YET);
        assertThat(p.validityAt(Instant.parse("2026-12-01T00:00:00Z"))).isEqualTo(TokenPolicy.Validity.VALID);
        assertThat(p.validityAt(Instant.parse("2026-12-31T23:59:59Z"))).isEqualTo(TokenPolicy.Validity.VALID);
        assertThat(p.validityAt(Instant.parse("2027-01-01T00:00:00Z"))).isEqualTo(TokenPolicy.Validity.ENDED);
        assertThat(TokenPolicy.NONE.validityAt(Instant.MAX)).isEqualTo(TokenPolicy.Validity.VALID);
    }

    @Test
    void quota_sizesAndRefusals() {
        assertThat(TokenPolicy.parseQuotaMiB("500M")).isEqualTo(500);
        assertThat(TokenPolicy.parseQuotaMiB("500")).isEqualTo(500);
        assertThat(TokenPolicy.parseQuotaMiB("2G")).isEqualTo(2048);
        assertThat(TokenPolicy.parseQuotaMiB("2gib")).isEqualTo(2048);
        assertThat(TokenPolicy.parseQuotaMiB("1T")).isEqualTo(1024 * 1024);
        assertThat(TokenPolicy.parseQuotaMiB("none")).isZero();
        assertThat(TokenPolicy.formatQuota(2048)).isEqualTo("2G");
        assertThat(TokenPolicy.formatQuota(500)).isEqualTo("500M");
        assertThat(TokenPolicy.formatQuota(0)).isEqualTo("default");
        for (String bad : new String[] {"-1", "5X", "1.5G", "17T", "999999999999", "M"}) {
            assertThatThrownBy(() -> TokenPolicy.parseQuotaMiB(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("quota");
        }
    }

    @Test
    void grace_durationOrNone_neverRefused() {
        assertThat(TokenPolicy.parseGrace("7d")).contains(Expiry.parse("7d"));
        assertThat(TokenPolicy.parseGrace("none")).isEmpty();
        assertThatThrownBy(() -> TokenPolicy.parseGrace("never")).hasMessageContaining("use a duration");
        assertThatThrownBy(() -> TokenPolicy.parseGrace("7 days")).hasMessageContaining("invalid expiry");
    }
}
