package org.mailadm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailadm.core.port.Storage;
import org.mailadm.core.port.TokenStore.TokenInsert;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;

/**
 * The behaviour every {@link org.mailadm.core.port.TokenStore} must have, run by {@link StorageContract} against each whole
 * store.
 */
public interface TokenStoreContract extends StorageFixture {
    @Test
    default void insertToken_thenFindByNameAndSecret() {
        Token t = TestTokens.aToken().build();
        assertThat(storage().insertToken(t)).isEqualTo(TokenInsert.INSERTED);
        assertThat(storage().findToken(t.name())).contains(t);
        assertThat(storage().findToken(t.secret())).contains(t);
        assertThat(storage().findToken(new TokenSecret("nosuch"))).isEmpty();
        assertThat(storage().listTokens()).containsExactly(t);
    }

    @Test
    default void insertToken_duplicateNameOrSecret_refused() {
        storage().insertToken(TestTokens.aToken().build());
        assertThat(storage().insertToken(TestTokens.aToken().withSecret("other").build()))
                .isEqualTo(TokenInsert.NAME_TAKEN);
        assertThat(storage().insertToken(TestTokens.aToken().named("other").build()))
                .isEqualTo(TokenInsert.SECRET_TAKEN);
        assertThat(storage().listTokens()).hasSize(1);
    }

    @Test
    default void listTokens_inNameOrder() {
        storage().insertToken(TestTokens.aToken().named("b").withSecret("s1").build());
        storage().insertToken(TestTokens.aToken().named("a").withSecret("s2").build());
        assertThat(storage().listTokens()).extracting(t -> t.name().value()).containsExactly("a", "b");
    }

    @Test
    default void updateToken_keepsUseCountAndSecret() {
        storage().insertToken(TestTokens.aToken().withUseCount(7).build());
        Token updated = storage()
                .updateToken(new TokenName("oneday"), Expiry.parse("2w"), "x.", 99, TokenPolicy.NONE)
                .orElseThrow();
        assertThat(updated.useCount()).isEqualTo(7);
        assertThat(updated.secret().value()).isEqualTo("1d_r84EW3N8hEKk");
        assertThat(updated.expiry().code()).isEqualTo("2w");
        assertThat(storage().findToken(new TokenName("oneday"))).contains(updated);
        assertThat(storage().updateToken(new TokenName("nosuch"), Expiry.NEVER, "", 1, TokenPolicy.NONE))
                .isEmpty();
    }

    @Test
    default void tokenPolicy_roundTrips() {
        TokenPolicy policy = new TokenPolicy(
                Optional.of(Instant.parse("2026-12-01T00:00:00Z")),
                Optional.of(Instant.parse("2027-01-01T00:00:00Z")),
                Optional.of(Expiry.parse("7d")),
                500);
        storage().insertToken(TestTokens.aToken().build());
        storage().updateToken(new TokenName("oneday"), Expiry.parse("1d"), "tmp.", 50, policy);
        assertThat(storage().findToken(new TokenName("oneday")).orElseThrow().policy())
                .isEqualTo(policy);
        storage().updateToken(new TokenName("oneday"), Expiry.parse("1d"), "tmp.", 50, TokenPolicy.NONE);
        assertThat(storage().findToken(new TokenName("oneday")).orElseThrow().policy())
                .isEqualTo(TokenPolicy.NONE);
    }

    @Test
    default void rotateSecret_keepsEverythingButTheSecret() {
        storage().insertToken(TestTokens.aToken().withUseCount(3).build());
        storage()
                .insertToken(TestTokens.aToken()
                        .named("other")
                        .withSecret("1d_other")
                        .build());
        TokenName name = new TokenName("oneday");
        assertThat(storage().rotateSecret(name, new TokenSecret("1d_other")))
                .isEqualTo(Storage.TokenRotation.SECRET_TAKEN);
        assertThat(storage().rotateSecret(name, new TokenSecret("1d_fresh"))).isEqualTo(Storage.TokenRotation.ROTATED);
        assertThat(storage().findToken(new TokenSecret("1d_r84EW3N8hEKk"))).isEmpty();
        Token t = storage().findToken(new TokenSecret("1d_fresh")).orElseThrow();
        assertThat(t.name()).isEqualTo(name);
        assertThat(t.useCount()).isEqualTo(3);
        assertThat(storage().rotateSecret(new TokenName("nosuch"), new TokenSecret("1d_x")))
                .isEqualTo(Storage.TokenRotation.NOT_FOUND);
    }

    @Test
    default void deleteToken_removesItsAccounts() {
        storage().insertToken(TestTokens.aToken().build());
        reserve("oneday", "tmp.aaaaa@example.org");
        assertThat(storage().deleteToken(new TokenName("oneday"))).isTrue();
        assertThat(storage().listTokens()).isEmpty();
        assertThat(storage().listAccounts()).isEmpty();
        assertThat(storage().deleteToken(new TokenName("oneday"))).isFalse();
    }
}
