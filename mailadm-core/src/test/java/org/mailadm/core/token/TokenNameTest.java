package org.mailadm.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenNameTest {
    @ParameterizedTest
    @ValueSource(strings = {"oneday", "pytest:web", "a", "x.y", "Ünïcode", "1w-test_2"})
    void valid(String name) {
        assertThat(new TokenName(name).value()).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "bad/name | no /, ?, %, or # allowed",
                "a?b | no /, ?, %, or # allowed",
                "a%b | no /, ?, %, or # allowed",
                "a#b | no /, ?, %, or # allowed",
                ".dot | must not start with a dot",
                "'a b' | no spaces or control characters",
                "'a\tb' | no spaces or control characters",
            })
    void invalid(String name, String message) {
        assertThatThrownBy(() -> new TokenName(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @org.junit.jupiter.api.Test
    void emptyAndTooLong_refused() {
        assertThatThrownBy(() -> new TokenName("")).hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> new TokenName("x".repeat(65))).hasMessageContaining("at most 64");
        assertThatThrownBy(() -> new TokenName("a\u0000b")).hasMessageContaining("control");
        assertThatThrownBy(() -> new TokenName("a\u00a0b")).hasMessageContaining("spaces");
    }
}
