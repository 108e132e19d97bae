package org.mailadm.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExpiryTest {
    @ParameterizedTest
    @CsvSource({"30s, 30", "12h, 43200", "1d, 86400", "2w, 1209600", "1y, 31536000", "30d, 2592000"})
    void parse_validCodes(String code, String seconds) {
        Expiry e = Expiry.parse(code);
        assertThat(e.seconds()).isEqualTo(Long.parseLong(seconds));
        assertThat(e.toString()).isEqualTo(code);
        assertThat(Expiry.parse(e.toString())).isEqualTo(e);
    }

    @Test
    void never_isMaximalAndRoundTrips() {
        assertThat(Expiry.parse("never")).isEqualTo(Expiry.NEVER);
        assertThat(Expiry.NEVER.seconds()).isEqualTo(Long.MAX_VALUE);
        assertThat(Expiry.NEVER.isNever()).isTrue();
        assertThat(Expiry.NEVER.toString()).isEqualTo("never");
        assertThat(Expiry.NEVER.duration().getSeconds()).isEqualTo(9223372036854775807L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "d", "1", "1m", "1 d", "-1d", "0d", "1D", "1dd", "forever", "1.5d", "١d", "1d\u0000"})
    void parse_invalidCodes_listUnits(String code) {
        assertThatThrownBy(() -> Expiry.parse(code))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid expiry");
    }

    @Test
    void parse_unknownUnit_messageNamesTheUnits() {
        assertThatThrownBy(() -> Expiry.parse("3x"))
                .hasMessageContaining("s (seconds), h (hours), d (days), w (weeks) or y (years)")
                .hasMessageContaining("never");
    }

    @Test
    void parse_overflowingAmount_refusedWithHint() {
        assertThatThrownBy(() -> Expiry.parse("999999999999y")).hasMessageContaining("too long; use never");
    }

    @Test
    void parse_hugeInput_messageIsShort() {
        String huge = "9".repeat(10_000) + "d";
        assertThatThrownBy(() -> Expiry.parse(huge))
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(250));
    }
}
