package org.mailadm.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.mailadm.core.port.SecretGenerator;
import org.mailadm.core.token.Expiry;

class SecretsTest {
    private final SecureRandom random = new SecureRandom();
    private final Secrets secrets = new Secrets(random::nextInt);

    @RepeatedTest(200)
    void password_hasEveryClassAndNoUnsafeCharacter() {
        String pw = secrets.password().value();
        assertThat(pw).hasSize(31);
        assertThat(pw)
                .containsPattern("[A-Z]")
                .containsPattern("[a-z]")
                .containsPattern("[0-9]")
                .containsPattern("[-_.~]");
        assertThat(pw).matches("[A-Za-z0-9._~-]+");
    }

    @Test
    void password_carriesAtLeast160Bits() {
        double bits = Secrets.PASSWORD_RANDOM_LENGTH * (Math.log(Secrets.PASSWORD_ALPHABET.length()) / Math.log(2));
        assertThat(bits).isGreaterThanOrEqualTo(160);
    }

    @Test
    void localPart_isPrefixPlusFiveFromAlphabet() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String lp = secrets.localPart("tmp.");
            assertThat(lp).matches("tmp\\.[2345789acdefghjkmnpqrstuvwxyz]{5}");
            seen.add(lp);
        }
        assertThat(seen.size()).isGreaterThan(990);
    }

    @Test
    void tokenSecret_startsWithExpiry() {
        assertThat(secrets.tokenSecret(Expiry.parse("1d")).value()).matches("1d_[2345789acdefghjkmnpqrstuvwxyz]{15}");
    }

    @Test
    void usesOnlyTheGenerator() {
        SecretGenerator zeros = bound -> 0;
        Secrets s = new Secrets(zeros);
        assertThat(s.localPart("x.")).isEqualTo("x.22222");
        assertThat(s.localPart("x.")).isEqualTo(s.localPart("x."));
    }
}
