package org.mailadm.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {
    @ParameterizedTest
    @CsvSource({
        "tmp.km5y5@example.org, tmp.km5y5, example.org",
        "TMP.ABC12@Example.ORG, tmp.abc12, example.org",
        "a_b-c.d@sub.example.org, a_b-c.d, sub.example.org",
        "9lives@x.io, 9lives, x.io"
    })
    void parse_valid(String input, String local, String domain) {
        EmailAddress a = EmailAddress.parse(input);
        assertThat(a.localPart()).isEqualTo(local);
        assertThat(a.domain()).isEqualTo(domain);
        assertThat(a.toString()).isEqualTo(local + "@" + domain);
    }

    @ParameterizedTest
    @ValueSource(strings = {"tmp.x@example.org@evil.org", "noat", "@example.org", "a@", "a@@b.org"})
    void parse_wrongNumberOfAts(String input) {
        assertThatThrownBy(() -> EmailAddress.parse(input)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                ".a@example.org",
                "-a@example.org",
                "a+b@example.org",
                "a b@example.org",
                "ä@example.org",
                "a&b@example.org",
                "a#b@example.org",
                "a%b@example.org"
            })
    void parse_badLocalPart(String input) {
        assertThatThrownBy(() -> EmailAddress.parse(input)).hasMessageContaining("invalid local part");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a@example", "a@-x.org", "a@exa mple.org", "a@x..org", "a@x.org.", "a@.x.org"})
    void parse_badDomain(String input) {
        assertThatThrownBy(() -> EmailAddress.parse(input)).hasMessageContaining("invalid domain");
    }

    @Test
    void parse_hugeOrBinaryInput_shortPrintableMessage() {
        String huge = "a".repeat(100_000) + "\u0000@example.org";
        assertThatThrownBy(() -> EmailAddress.parse(huge)).satisfies(e -> {
            assertThat(e.getMessage()).hasSizeLessThan(300);
            assertThat(e.getMessage()).doesNotContain("\u0000");
        });
    }

    @Test
    void localPart_of64_accepted() {
        assertThat(EmailAddress.parse("a".repeat(64) + "@example.org").localPart())
                .hasSize(64);
    }

    @Test
    void localPart_longerThan64_refused() {
        assertThatThrownBy(() -> EmailAddress.parse("a".repeat(65) + "@example.org"))
                .hasMessageContaining("at most 64");
    }
}
