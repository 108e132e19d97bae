package org.mailadm.sqlite;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.port.AccountStore;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;

/**
 * {@link AccountStore} on the original's {@code users} table (plus {@code state}, {@code
 * disabled_at} and {@code credentials_known}). A reservation and a release change the row and the
 * token's {@code usecount} in one IMMEDIATE transaction, so the maximum holds across processes.
 */
final class SqliteAccounts implements AccountStore {
    private static final String SELECT = "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM users";

    private final Database db;

    SqliteAccounts(Database db) {
        this.db = db;
    }

    @Override
    public Reservation reserveAccount(TokenKey key, EmailAddress address, Instant now, boolean credentialsKnown) {
        return db.write(false, h -> {
            Optional<Token> token = switch (key) {
                case TokenKey.ByName n -> SqliteTokens.find(h, n.name());
                case TokenKey.BySecret s -> SqliteTokens.find(h, s.secret());
            };
            if (token.isEmpty()) {
                return new Reservation.TokenNotFound();
            }
            Token t = token.get();
            if (h.createQuery("SELECT 1 FROM users WHERE addr = :addr")
                    .bind("addr", address.toString())
                    .mapTo(Integer.class)
                    .findOne()
                    .isPresent()) {
                return new Reservation.AddressTaken();
            }
            if (t.isExhausted()) {
                return new Reservation.TokenExhausted(t);
            }
            long date = now.getEpochSecond();
            int inserted = h.createUpdate("INSERT OR IGNORE INTO users (addr, date, ttl, token_name, state,"
                            + " credentials_known) VALUES (:addr, :date, :ttl, :token, 'pending', :known)")
                    .bind("addr", address.toString())
                    .bind("date", date)
                    .bind("ttl", t.expiry().seconds())
                    .bind("token", t.name().value())
                    .bind("known", credentialsKnown ? 1 : 0)
                    .execute();
            if (inserted == 0) {
                return new Reservation.AddressTaken();
            }
            h.createUpdate("UPDATE tokens SET usecount = usecount + 1 WHERE name = :name")
                    .bind("name", t.name().value())
                    .execute();
            Account account = new Account(
                    address, Instant.ofEpochSecond(date), t.expiry().duration(), t.name(), AccountState.PENDING);
            return new Reservation.Reserved(account, t.withOneMoreUse());
        });
    }

    @Override
    public boolean confirmAccount(EmailAddress address, List<AuditEvent> audit) {
        return db.write(h -> {
            boolean confirmed = h.createUpdate("UPDATE users SET state = 'active' WHERE addr = :addr")
                            .bind("addr", address.toString())
                            .execute()
                    > 0;
            if (confirmed) {
                SqliteAuditLog.insert(h, audit);
            }
            return confirmed;
        });
    }

    @Override
    public boolean releaseAccount(EmailAddress address) {
        return db.write(false, h -> {
            Optional<String> token = h.createQuery(
                            "SELECT token_name FROM users WHERE addr = :addr AND state = 'pending'")
                    .bind("addr", address.toString())
                    .mapTo(String.class)
                    .findOne();
            if (token.isEmpty()) {
                return false;
            }
            h.createUpdate("DELETE FROM users WHERE addr = :addr")
                    .bind("addr", address.toString())
                    .execute();
            h.createUpdate("UPDATE tokens SET usecount = usecount - 1 WHERE name = :name AND usecount > 0")
                    .bind("name", token.get())
                    .execute();
            return true;
        });
    }

    @Override
    public List<PendingAccount> listPending() {
        return db.read(h -> h.createQuery("SELECT " + Rows.ACCOUNT_COLUMNS
                        + ", credentials_known FROM users WHERE state = 'pending' ORDER BY addr")
                .map((rs, ctx) -> new PendingAccount(Rows.ACCOUNT.map(rs, ctx), rs.getInt("credentials_known") != 0))
                .list());
    }

    @Override
    public Optional<Account> findAccount(EmailAddress address) {
        return db.read(h -> h.createQuery(SELECT + " WHERE addr = :addr")
                .bind("addr", address.toString())
                .map(Rows.ACCOUNT)
                .findOne());
    }

    @Override
    public List<Account> listAccounts() {
        return db.read(
                h -> h.createQuery(SELECT + " ORDER BY addr").map(Rows.ACCOUNT).list());
    }

    @Override
    public List<Account> listAccounts(TokenName token) {
        return db.read(h -> h.createQuery(SELECT + " WHERE token_name = :token ORDER BY addr")
                .bind("token", token.value())
                .map(Rows.ACCOUNT)
                .list());
    }

    @Override
    public List<Account> listAccounts(AccountState state) {
        return db.read(h -> h.createQuery(SELECT + " WHERE state = :state ORDER BY addr")
                .bind("state", Rows.state(state))
                .map(Rows.ACCOUNT)
                .list());
    }

    @Override
    public boolean markDisabled(EmailAddress address, Instant at) {
        return db.write(h -> h.createUpdate("UPDATE users SET disabled_at = :at WHERE addr = :addr")
                        .bind("at", at.getEpochSecond())
                        .bind("addr", address.toString())
                        .execute()
                > 0);
    }

    @Override
    public boolean markRestored(EmailAddress address, Instant newStart) {
        return db.write(h -> h.createUpdate("UPDATE users SET disabled_at = NULL, date = :date WHERE addr = :addr")
                        .bind("date", newStart.getEpochSecond())
                        .bind("addr", address.toString())
                        .execute()
                > 0);
    }

    @Override
    public int deleteAccounts(Collection<EmailAddress> addresses) {
        if (addresses.isEmpty()) {
            return 0;
        }
        return db.write(h -> {
            PreparedBatch b = h.prepareBatch("DELETE FROM users WHERE addr = :addr");
            for (EmailAddress a : addresses) {
                b.bind("addr", a.toString()).add();
            }
            int n = 0;
            for (int count : b.execute()) {
                n += count;
            }
            return n;
        });
    }
}
