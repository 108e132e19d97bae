package org.mailadm.core.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DcLoginTest {
    private static final EmailAddress ADDR = EmailAddress.parse("tmp.abcde@example.org");

    /** Reads the query the way Delta Chat does: form-urlencoded, so a raw '+' would be a space. */
    private static Map<String, String> query(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : text.substring(text.indexOf('?') + 1).split("&")) {
            int eq = pair.indexOf('=');
            m.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    @Test
    void addressAndPassword_matchTheContractExample() {
        assertThat(DcLogin.of(ADDR, new Password("se+cret")).text())
                .isEqualTo("dclogin:tmp.abcde@example.org?p=se%2Bcret&v=1");
    }

    @Test
    void everyPasswordCharacter_survivesFormDecoding() {
        String nasty = "a+b c&d=e%f#g?h/i:j@k\"l'm\\nä€";
        DcLogin login = DcLogin.of(ADDR, new Password(nasty));
        assertThat(query(login.text())).containsEntry("p", nasty).containsEntry("v", "1");
        assertThat(login.text()).doesNotContain(" ").doesNotContain("#");
    }

    @Test
    void servers_areSpelledAsDeltaChatExpects() {
        DcLogin login = new DcLogin(
                ADDR,
                new Password("pw"),
                Optional.of(new DcLogin.Server("127.0.0.1", 3143, DcLogin.Security.PLAIN)),
                Optional.of(new DcLogin.Server("127.0.0.1", 3025, DcLogin.Security.PLAIN)));
        assertThat(login.text())
                .isEqualTo("dclogin:tmp.abcde@example.org?p=pw&v=1&ih=127.0.0.1&ip=3143&is=plain"
                        + "&sh=127.0.0.1&sp=3025&ss=plain");
    }

    @Test
    void toString_hidesThePassword() {
        assertThat(DcLogin.of(ADDR, new Password("topsecret")).toString())
                .doesNotContain("topsecret")
                .contains("tmp.abcde@example.org");
    }

    @Test
    void badServer_refused() {
        assertThatThrownBy(() -> new DcLogin.Server("h", 0, DcLogin.Security.SSL))
                .hasMessageContaining("port must be 1-65535");
        assertThatThrownBy(() -> new DcLogin.Server(" ", 993, DcLogin.Security.SSL))
                .hasMessageContaining("host");
    }
}
