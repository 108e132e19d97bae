package org.mailadm.core.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class TokenLinksTest {
    private final TokenLinks links = new TokenLinks(URI.create("https://mailadm.example.org/new_email"));

    private static Token token(String name, String secret) {
        return new Token(new TokenName(name), new TokenSecret(secret), Expiry.parse("1d"), "tmp.", 50, 0);
    }

    @Test
    void ordinaryToken_looksLikeTheOriginal() {
        Token t = token("oneday", "1d_r84EW3N8hEKk");
        assertThat(links.webUrl(t)).isEqualTo("https://mailadm.example.org/new_email?t=1d_r84EW3N8hEKk&n=oneday");
        assertThat(links.qrPayload(t))
                .isEqualTo("DCACCOUNT:https://mailadm.example.org/new_email?t=1d_r84EW3N8hEKk&n=oneday");
        assertThat(links.webUrl(token("pytest:web", "30d_qrstuvwxyz2345"))).endsWith("&n=pytest:web");
    }

    @Test
    void specialCharacters_arePercentEncoded() {
        Token t = token("Ünï&=+", "a&b=c+d");
        assertThat(links.webUrl(t)).endsWith("?t=a%26b%3Dc%2Bd&n=%C3%9Cn%C3%AF%26%3D%2B");
        assertThat(links.webUrl(t)).matches("[\\x21-\\x7e]+");
    }
}
