package org.mailadm.core.port;

import java.util.List;
import java.util.Optional;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;

/**
 * Where tokens live: their settings, secret and use count.
 *
 * <p>Every method is atomic: it happens completely or not at all. Implementations are safe for
 * use by many threads at once and, for file-based stores, by several processes on the same file.
 * No method waits on anything but the store itself, so callers may hold no lock across a call to
 * another port. Failures of the store itself throw {@link StorageException} ({@link
 * StorageBusyException} when another writer holds the store too long); expected outcomes are return
 * values.
 */
public interface TokenStore {
    /** Adds a token with the use count it carries. */
    TokenInsert insertToken(Token token);

    /** Outcome of {@link #insertToken}. */
    enum TokenInsert {
        INSERTED,
        NAME_TAKEN,
        SECRET_TAKEN
    }

    Optional<Token> findToken(TokenName name);

    Optional<Token> findToken(TokenSecret secret);

    /** All tokens, in name order. */
    List<Token> listTokens();

    /**
     * Changes a token's expiry, prefix and maximum uses; never its use count or secret.
     *
     * @return the token after the change, or empty if there is no such token
     */
    Optional<Token> updateToken(TokenName name, Expiry expiry, String prefix, int maxUse, TokenPolicy policy);

    /**
     * Gives a token a new secret; its name, use count, settings and accounts stay. The old secret
     * stops working at once.
     */
    TokenRotation rotateSecret(TokenName name, TokenSecret newSecret);

    /** Outcome of {@link #rotateSecret}. */
    enum TokenRotation {
        ROTATED,
        NOT_FOUND,
        SECRET_TAKEN
    }

    /**
     * Deletes a token together with the accounts rows that still name it.
     *
     * @return false if there was no such token
     */
    boolean deleteToken(TokenName name);

    /** Number of accounts (in any state) that name this token. */
    int countAccounts(TokenName name);
}
