package org.mailadm.sqlite;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.port.StorageException;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;

/**
 * Rows of the original's tables ({@code tokens}, {@code users}) and of mailadm's {@code audit}, as
 * domain values. A row the domain refuses (written by hand, or by a buggy version) is a {@link
 * StorageException} that names the row and the command that fixes it.
 */
final class Rows {
    private Rows() {}

    /** The columns {@link #TOKEN} reads, in the order {@code INSERT} writes them. */
    static final String TOKEN_COLUMNS =
            "name, token, expiry, prefix, maxuse, usecount, valid_from, valid_until, grace, quota";

    /** The named parameters of the token columns, for {@code INSERT ... VALUES}. */
    static final String TOKEN_VALUES =
            ":name, :token, :expiry, :prefix, :maxuse, :usecount, :valid_from, :valid_until, :grace, :quota";

    /** The columns {@link #ACCOUNT} reads. */
    static final String ACCOUNT_COLUMNS = "addr, date, ttl, token_name, state, disabled_at";

    static final String AUDIT_COLUMNS = "time, actor, action, object, token, outcome";

    /** A {@code tokens} row; a missing {@code maxuse} (the original's schema allows it) is the original's default. */
    static final RowMapper<Token> TOKEN = Rows::token;

    /** A {@code users} row; a missing {@code ttl} never expires, as in the original. */
    static final RowMapper<Account> ACCOUNT = Rows::account;

    static final RowMapper<AuditEvent> AUDIT_EVENT = Rows::auditEvent;

    private static Token token(ResultSet rs, StatementContext ctx) throws SQLException {
        String name = rs.getString("name");
        try {
            int maxUse = rs.getObject("maxuse") == null ? Token.DEFAULT_MAX_USE : rs.getInt("maxuse");
            return new Token(
                    new TokenName(name),
                    new TokenSecret(rs.getString("token")),
                    Expiry.parse(rs.getString("expiry")),
                    rs.getString("prefix") == null ? "" : rs.getString("prefix"),
                    maxUse,
                    rs.getInt("usecount"),
                    new TokenPolicy(
                            instant(rs, "valid_from"),
                            instant(rs, "valid_until"),
                            Optional.ofNullable(rs.getString("grace")).map(Expiry::parse),
                            rs.getLong("quota")));
        } catch (IllegalArgumentException e) {
            throw new StorageException("token '" + name + "' in the database is invalid: " + e.getMessage()
                    + "; fix it with `mailadm mod-token` or delete it with `mailadm del-token`");
        }
    }

    private static Account account(ResultSet rs, StatementContext ctx) throws SQLException {
        String addr = rs.getString("addr");
        try {
            long ttl = rs.getObject("ttl") == null ? Long.MAX_VALUE : rs.getLong("ttl");
            return new Account(
                    EmailAddress.parse(addr),
                    Instant.ofEpochSecond(rs.getLong("date")),
                    Duration.ofSeconds(Math.max(0, ttl)),
                    new TokenName(rs.getString("token_name")),
                    "pending".equals(rs.getString("state")) ? AccountState.PENDING : AccountState.ACTIVE,
                    instant(rs, "disabled_at"));
        } catch (IllegalArgumentException e) {
            throw new StorageException("account '" + addr + "' in the database is invalid: " + e.getMessage());
        }
    }

    private static AuditEvent auditEvent(ResultSet rs, StatementContext ctx) throws SQLException {
        String action = rs.getString("action");
        return new AuditEvent(
                Instant.ofEpochSecond(rs.getLong("time")),
                rs.getString("actor"),
                AuditAction.fromCode(action)
                        .orElseThrow(() -> new StorageException("the audit log holds the action '" + action
                                + "', which this mailadm does not know; upgrade mailadm")),
                rs.getString("object"),
                Optional.ofNullable(rs.getString("token")).map(TokenName::new),
                AuditOutcome.parse(rs.getString("outcome")));
    }

    /** The stored text of an account's state ({@code users.state}, schema 1). */
    static String state(AccountState state) {
        return state == AccountState.PENDING ? "pending" : "active";
    }

    static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochSecond(v));
    }

    /** Seconds since the epoch, or SQL {@code NULL}. */
    static Long epoch(Optional<Instant> i) {
        return i.map(Instant::getEpochSecond).orElse(null);
    }
}
