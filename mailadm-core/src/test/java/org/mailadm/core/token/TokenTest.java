package org.mailadm.core.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenTest {
    private static Token token(String prefix, int maxUse, int useCount) {
        return new Token(new TokenName("t"), new TokenSecret("s"), Expiry.parse("1d"), prefix, maxUse, useCount);
    }

    @Test
    void isExhausted_whenUseCountReachesMaxUse() {
        assertThat(token("tmp.", 2, 1).isExhausted()).isFalse();
        assertThat(token("tmp.", 2, 2).isExhausted()).isTrue();
        assertThat(token("tmp.", 0, 0).isExhausted()).isTrue();
        assertThat(token("tmp.", 2, 1).withOneMoreUse().useCount()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "tmp.", "web.", "a", "x-y_z."})
    void validPrefixes(String prefix) {
        assertThat(token(prefix, 1, 0).prefix()).isEqualTo(prefix);
    }

    @ParameterizedTest
    @ValueSource(strings = {".tmp", "-x", "a b", "a+b", "a@b", "ä"})
    void invalidPrefixes(String prefix) {
        assertThatThrownBy(() -> token(prefix, 1, 0)).hasMessageContaining("invalid prefix");
    }

    @Test
    void negativeCounts_refused() {
        assertThatThrownBy(() -> token("", -1, 0)).hasMessageContaining("maxuse");
        assertThatThrownBy(() -> token("", 1, -1)).hasMessageContaining("usecount");
    }

    @Test
    void secret_isRedactedInToString() {
        Token t = token("tmp.", 1, 0);
        assertThat(t.toString()).doesNotContain("secret=s,").contains("TokenSecret[***]");
        assertThat(new TokenSecret("1d_verysecret").toString()).doesNotContain("verysecret");
    }

    @Test
    void secret_rejectsSpacesControlAndNonAscii() {
        assertThatThrownBy(() -> new TokenSecret("a b")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> new TokenSecret("a\u0001")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> new TokenSecret("ä")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> new TokenSecret("x".repeat(129))).hasMessageContaining("at most 128");
        assertThat(new TokenSecret("abc").matches("abc")).isTrue();
        assertThat(new TokenSecret("abc").matches("abd")).isFalse();
    }
}
