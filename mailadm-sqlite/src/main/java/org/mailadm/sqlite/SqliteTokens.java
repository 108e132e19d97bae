package org.mailadm.sqlite;

import static org.mailadm.sqlite.Rows.epoch;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.mailadm.core.port.TokenStore;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;

/** {@link TokenStore} on the original's {@code tokens} table (plus the policy columns of schema 2). */
final class SqliteTokens implements TokenStore {
    private final Database db;

    SqliteTokens(Database db) {
        this.db = db;
    }

    @Override
    public TokenInsert insertToken(Token t) {
        return db.write(h -> {
            if (exists(h, "name", t.name().value())) {
                return TokenInsert.NAME_TAKEN;
            }
            if (exists(h, "token", t.secret().value())) {
                return TokenInsert.SECRET_TAKEN;
            }
            h.createUpdate("INSERT INTO tokens (" + Rows.TOKEN_COLUMNS + ") VALUES (" + Rows.TOKEN_VALUES + ")")
                    .bind("name", t.name().value())
                    .bind("token", t.secret().value())
                    .bind("expiry", t.expiry().code())
                    .bind("prefix", t.prefix())
                    .bind("maxuse", t.maxUse())
                    .bind("usecount", t.useCount())
                    .bind("valid_from", epoch(t.policy().validFrom()))
                    .bind("valid_until", epoch(t.policy().validUntil()))
                    .bind("grace", t.policy().grace().map(Expiry::code).orElse(null))
                    .bind("quota", t.policy().quotaMiB())
                    .execute();
            return TokenInsert.INSERTED;
        });
    }

    /** Whether a token has this value in {@code column} ({@code name} or {@code token}). */
    private static boolean exists(Handle h, String column, String value) {
        return h.createQuery("SELECT 1 FROM tokens WHERE " + column + " = :value")
                .bind("value", value)
                .mapTo(Integer.class)
                .findOne()
                .isPresent();
    }

    @Override
    public Optional<Token> findToken(TokenName name) {
        return db.read(h -> find(h, name));
    }

    @Override
    public Optional<Token> findToken(TokenSecret secret) {
        return db.read(h -> find(h, secret));
    }

    /** The token called {@code name}, inside a caller's transaction. */
    static Optional<Token> find(Handle h, TokenName name) {
        return find(h, "name", name.value());
    }

    /** The token with {@code secret}, inside a caller's transaction. */
    static Optional<Token> find(Handle h, TokenSecret secret) {
        return find(h, "token", secret.value());
    }

    private static Optional<Token> find(Handle h, String column, String value) {
        return h.createQuery("SELECT " + Rows.TOKEN_COLUMNS + " FROM tokens WHERE " + column + " = :value")
                .bind("value", value)
                .map(Rows.TOKEN)
                .findOne();
    }

    @Override
    public List<Token> listTokens() {
        return db.read(h -> h.createQuery("SELECT " + Rows.TOKEN_COLUMNS + " FROM tokens ORDER BY name")
                .map(Rows.TOKEN)
                .list());
    }

    @Override
    public Optional<Token> updateToken(TokenName name, Expiry expiry, String prefix, int maxUse, TokenPolicy policy) {
        return db.write(h -> {
            int n = h.createUpdate("UPDATE tokens SET expiry = :expiry, prefix = :prefix, maxuse = :maxuse,"
                            + " valid_from = :valid_from, valid_until = :valid_until, grace = :grace, quota = :quota"
                            + " WHERE name = :name")
                    .bind("expiry", expiry.code())
                    .bind("prefix", prefix)
                    .bind("maxuse", maxUse)
                    .bind("valid_from", epoch(policy.validFrom()))
                    .bind("valid_until", epoch(policy.validUntil()))
                    .bind("grace", policy.grace().map(Expiry::code).orElse(null))
                    .bind("quota", policy.quotaMiB())
                    .bind("name", name.value())
                    .execute();
            return n == 0 ? Optional.empty() : find(h, name);
        });
    }

    @Override
    public TokenRotation rotateSecret(TokenName name, TokenSecret newSecret) {
        return db.write(h -> {
            if (exists(h, "token", newSecret.value())) {
                return TokenRotation.SECRET_TAKEN;
            }
            int n = h.createUpdate("UPDATE tokens SET token = :token WHERE name = :name")
                    .bind("token", newSecret.value())
                    .bind("name", name.value())
                    .execute();
            return n == 0 ? TokenRotation.NOT_FOUND : TokenRotation.ROTATED;
        });
    }

    @Override
    public boolean deleteToken(TokenName name) {
        return db.write(h -> {
            h.createUpdate("DELETE FROM users WHERE token_name = :name")
                    .bind("name", name.value())
                    .execute();
            return h.createUpdate("DELETE FROM tokens WHERE name = :name")
                            .bind("name", name.value())
                            .execute()
                    > 0;
        });
    }

    @Override
    public int countAccounts(TokenName name) {
        return db.read(h -> h.createQuery("SELECT count(*) FROM users WHERE token_name = :name")
                .bind("name", name.value())
                .mapTo(Integer.class)
                .one());
    }
}
