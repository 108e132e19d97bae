package org.mailadm.sqlite;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.Storage;
import org.mailadm.core.port.StorageBusyException;
import org.mailadm.core.port.StorageException;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * {@link Storage} on a SQLite file, compatible with the files the original mailadm writes.
 *
 * <p>The file runs in WAL mode with a busy timeout; write transactions begin IMMEDIATE, so a writer
 * waits for another process's writer instead of failing half-way. Within one process, writers are
 * serialised by a lock before they reach SQLite, which keeps SQLite's busy-waiting for the
 * cross-process case. Thread-safe.
 */
public final class SqliteStorage implements Storage, AutoCloseable {
    /** How long a writer waits for another process's transaction before failing. */
    static final Duration BUSY_TIMEOUT = Duration.ofSeconds(10);

    private final Path file;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connections connections;
    private final Jdbi jdbi;
    private final Optional<Migration> migration;

    private SqliteStorage(Path file, SQLiteDataSource dataSource, Optional<Migration> migration) {
        this.file = file;
        this.connections = new Connections(dataSource, writeLock);
        this.jdbi = Jdbi.create(connections);
        this.migration = migration;
    }

    /**
     * The migration that ran when the file was opened.
     *
     * @param fromVersion the file's schema version before
     * @param toVersion the version now
     * @param backup the consistent copy of the file from before, mode 0600
     */
    public record Migration(int fromVersion, int toVersion, Path backup) {
        /** The one line an operator is told: what changed, and where the old file is. */
        public String notice(Path file) {
            return "migrated the database " + file + " from version " + fromVersion + " to " + toVersion
                    + "; a copy from before is at " + backup;
        }
    }

    /**
     * Opens (and if needed creates or migrates) the database file.
     *
     * @throws StorageException when the file is not a mailadm database, is newer than this program,
     *     is a pre-mailcow database (run {@code mailadm migrate-db}), or cannot be opened
     */
    public static SqliteStorage open(Path file, Clock clock) {
        return open(file, clock, BUSY_TIMEOUT);
    }

    /** {@link #open(Path, Clock)} with another busy timeout (tests of a locked database). */
    static SqliteStorage open(Path file, Clock clock, Duration busyTimeout) {
        Path absolute = file.toAbsolutePath();
        Schema.Inspection inspection = Schema.inspect(absolute);
        Optional<Migration> migration = Optional.empty();
        switch (inspection.shape()) {
            case PRE_MAILCOW ->
                throw new StorageException(absolute + " is a pre-mailcow mailadm database;"
                        + " run `mailadm migrate-db` to migrate it (a backup copy is written first)");
            case VERSIONED -> {
                refuseIfNewer(absolute, inspection.version());
                if (inspection.version() < Schema.LATEST) {
                    migration = Optional.of(new Migration(
                            inspection.version(), Schema.LATEST, Schema.backup(absolute, inspection.version(), clock)));
                }
            }
            case MISSING, EMPTY -> {
                requireParent(absolute);
                createPrivate(absolute);
            }
        }
        SQLiteDataSource dataSource = dataSource(absolute, busyTimeout);
        translate(() -> Jdbi.create(dataSource).inTransaction(h -> prepare(h.getConnection(), absolute)));
        return new SqliteStorage(absolute, dataSource, migration);
    }

    /**
     * Migrates a pre-mailcow database (the original's 0.x schema) in place, after writing a backup,
     * keeping every user and token.
     *
     * @return the backup's path, or empty when the file is not a pre-mailcow database
     */
    public static Optional<Path> migratePreMailcow(Path file, Clock clock) {
        Path absolute = file.toAbsolutePath();
        if (Schema.inspect(absolute).shape() != Schema.Shape.PRE_MAILCOW) {
            return Optional.empty();
        }
        Jdbi jdbi = Jdbi.create(dataSource(absolute, BUSY_TIMEOUT));
        Path backup = Schema.backup(absolute, 0, clock);
        return translate(() -> jdbi.inTransaction(h -> {
            Connection c = h.getConnection();
            Schema.migratePreMailcow(c);
            Schema.migrate(c, 1);
            return Optional.of(backup);
        }));
    }

    private static void refuseIfNewer(Path file, int version) {
        if (version > Schema.LATEST) {
            throw new StorageException(file + " has database version " + version + ", newer than this mailadm"
                    + " understands (" + Schema.LATEST + "); upgrade mailadm. The file was not changed.");
        }
    }

    /**
     * Folds the write-ahead log back into the file and truncates it ({@code wal_checkpoint(TRUNCATE)}),
     * then closes the connections, so that the database file alone holds every row: a plain {@code
     * cp mailadm.db} after a stop copies everything. The server calls it on SIGTERM, the CLI after
     * every command, embedding programs when they are done. If another process is reading at that
     * moment, the checkpoint folds what it can and the log stays for the last one to close.
     */
    @Override
    public void close() {
        translate(() -> {
            connections.closeAll(c -> {
                try (var st = c.createStatement()) {
                    st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                }
            });
            return null;
        });
    }

    /**
     * Writes a consistent copy of the database to {@code target} while it is in use (SQLite's
     * {@code VACUUM INTO}): one file, mode 0600, complete without a {@code -wal}; written under a
     * temporary name in the same folder and renamed, so {@code target} is never half-written.
     *
     * @throws StorageException when {@code target} exists or its folder cannot be written
     */
    public void backup(Path target) {
        Schema.copyTo(file, target.toAbsolutePath());
    }

    private static void requireParent(Path file) {
        Path parent = file.getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new StorageException("cannot create " + file + ": the folder " + parent + " does not exist");
        }
    }

    /**
     * Creates a missing database file readable by its owner only: it holds the mailcow API key.
     * SQLite gives the -wal and -shm files the same mode.
     */
    private static void createPrivate(Path file) {
        if (Files.exists(file)) {
            return;
        }
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(
                        file,
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            }
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            // another process created it first; it chose the mode
        } catch (java.io.IOException e) {
            throw new StorageException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    private static Void prepare(Connection c, Path file) throws SQLException {
        // Checked again inside the write transaction: another process may have migrated meanwhile.
        boolean hasConfig;
        try (var rs = c.createStatement()
                .executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'config'")) {
            hasConfig = rs.next() && rs.getInt(1) > 0;
        }
        if (!hasConfig) {
            Schema.create(c);
            return null;
        }
        int version = 1;
        try (var rs = c.createStatement().executeQuery("SELECT value FROM config WHERE name = 'dbversion'")) {
            if (rs.next()) {
                version = Integer.parseInt(rs.getString(1).trim());
            }
        }
        refuseIfNewer(file, version);
        if (version < Schema.LATEST) {
            Schema.migrate(c, version);
        }
        return null;
    }

    private static SQLiteDataSource dataSource(Path file, Duration busyTimeout) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout((int) busyTimeout.toMillis());
        config.enforceForeignKeys(true);
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl("jdbc:sqlite:" + file);
        return ds;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** Where the copy made before the migration that ran on open lies, if one ran. */
    public Optional<Path> migrationBackup() {
        return migration.map(Migration::backup);
    }

    /** The migration that ran on open, if one did. */
    public Optional<Migration> migration() {
        return migration;
    }

    // ---- settings

    private static final List<String> SETTING_NAMES =
            List.of("mail_domain", "web_endpoint", "mailcow_endpoint", "mailcow_token");

    @Override
    public Optional<Settings> settings() {
        Map<String, String> c = read(h -> h
                .createQuery("SELECT name, value FROM config WHERE value IS NOT NULL")
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
        if (!c.keySet().containsAll(SETTING_NAMES)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Settings(
                    c.get("mail_domain"),
                    URI.create(c.get("web_endpoint")),
                    URI.create(c.get("mailcow_endpoint")),
                    new ApiKey(c.get("mailcow_token"))));
        } catch (IllegalArgumentException e) {
            throw new StorageException(
                    "the stored configuration is invalid (" + e.getMessage() + "); run `mailadm init`");
        }
    }

    @Override
    public void saveSettings(Settings s) {
        write(h -> {
            PreparedBatch b = h.prepareBatch("INSERT OR REPLACE INTO config (name, value) VALUES (?, ?)");
            b.add("mail_domain", s.mailDomain());
            b.add("web_endpoint", s.webEndpoint().toString());
            b.add("mailcow_endpoint", s.mailcowEndpoint().toString());
            b.add("mailcow_token", s.mailcowToken().value());
            b.execute();
            return null;
        });
    }

    @Override
    public List<ConfigEntry> configEntries() {
        return read(h -> h.createQuery("SELECT name, value FROM config ORDER BY name")
                .map((rs, ctx) -> new ConfigEntry(rs.getString(1), rs.getString(2) == null ? "" : rs.getString(2)))
                .list());
    }

    // ---- tokens

    private static final String TOKEN_COLUMNS =
            "name, token, expiry, prefix, maxuse, usecount, valid_from, valid_until, grace, quota";

    private static Token token(java.sql.ResultSet rs) throws SQLException {
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

    private static Optional<Instant> instant(java.sql.ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochSecond(v));
    }

    private static Long epoch(Optional<Instant> i) {
        return i.map(Instant::getEpochSecond).orElse(null);
    }

    @Override
    public TokenInsert insertToken(Token t) {
        return write(h -> {
            if (h.createQuery("SELECT 1 FROM tokens WHERE name = ?")
                    .bind(0, t.name().value())
                    .mapTo(Integer.class)
                    .findOne()
                    .isPresent()) {
                return TokenInsert.NAME_TAKEN;
            }
            if (h.createQuery("SELECT 1 FROM tokens WHERE token = ?")
                    .bind(0, t.secret().value())
                    .mapTo(Integer.class)
                    .findOne()
                    .isPresent()) {
                return TokenInsert.SECRET_TAKEN;
            }
            h.createUpdate("INSERT INTO tokens (" + TOKEN_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                    .bind(0, t.name().value())
                    .bind(1, t.secret().value())
                    .bind(2, t.expiry().code())
                    .bind(3, t.prefix())
                    .bind(4, t.maxUse())
                    .bind(5, t.useCount())
                    .bind(6, epoch(t.policy().validFrom()))
                    .bind(7, epoch(t.policy().validUntil()))
                    .bind(8, t.policy().grace().map(Expiry::code).orElse(null))
                    .bind(9, t.policy().quotaMiB())
                    .execute();
            return TokenInsert.INSERTED;
        });
    }

    @Override
    public Optional<Token> findToken(TokenName name) {
        return read(h -> findToken(h, "name", name.value()));
    }

    @Override
    public Optional<Token> findToken(TokenSecret secret) {
        return read(h -> findToken(h, "token", secret.value()));
    }

    private static Optional<Token> findToken(Handle h, String column, String value) {
        return h.createQuery("SELECT " + TOKEN_COLUMNS + " FROM tokens WHERE " + column + " = ?")
                .bind(0, value)
                .map((rs, ctx) -> token(rs))
                .findOne();
    }

    @Override
    public List<Token> listTokens() {
        return read(h -> h.createQuery("SELECT " + TOKEN_COLUMNS + " FROM tokens ORDER BY name")
                .map((rs, ctx) -> token(rs))
                .list());
    }

    @Override
    public Optional<Token> updateToken(TokenName name, Expiry expiry, String prefix, int maxUse, TokenPolicy policy) {
        return write(h -> {
            int n = h.createUpdate("UPDATE tokens SET expiry = ?, prefix = ?, maxuse = ?, valid_from = ?,"
                            + " valid_until = ?, grace = ?, quota = ? WHERE name = ?")
                    .bind(0, expiry.code())
                    .bind(1, prefix)
                    .bind(2, maxUse)
                    .bind(3, epoch(policy.validFrom()))
                    .bind(4, epoch(policy.validUntil()))
                    .bind(5, policy.grace().map(Expiry::code).orElse(null))
                    .bind(6, policy.quotaMiB())
                    .bind(7, name.value())
                    .execute();
            return n == 0 ? Optional.empty() : findToken(h, "name", name.value());
        });
    }

    @Override
    public TokenRotation rotateSecret(TokenName name, TokenSecret newSecret) {
        return write(h -> {
            if (h.createQuery("SELECT 1 FROM tokens WHERE token = ?")
                    .bind(0, newSecret.value())
                    .mapTo(Integer.class)
                    .findOne()
                    .isPresent()) {
                return TokenRotation.SECRET_TAKEN;
            }
            int n = h.createUpdate("UPDATE tokens SET token = ? WHERE name = ?")
                    .bind(0, newSecret.value())
                    .bind(1, name.value())
                    .execute();
            return n == 0 ? TokenRotation.NOT_FOUND : TokenRotation.ROTATED;
        });
    }

    @Override
    public boolean deleteToken(TokenName name) {
        return write(h -> {
            h.createUpdate("DELETE FROM users WHERE token_name = ?")
                    .bind(0, name.value())
                    .execute();
            return h.createUpdate("DELETE FROM tokens WHERE name = ?")
                            .bind(0, name.value())
                            .execute()
                    > 0;
        });
    }

    @Override
    public int countAccounts(TokenName name) {
        return read(h -> h.createQuery("SELECT count(*) FROM users WHERE token_name = ?")
                .bind(0, name.value())
                .mapTo(Integer.class)
                .one());
    }

    // ---- leases

    @Override
    public boolean tryLease(String name, String holder, Instant now, Duration ttl) {
        return write(h -> {
            long until = now.plus(ttl).getEpochSecond();
            int n = h.createUpdate("INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)"
                            + " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until"
                            + " WHERE leases.holder = excluded.holder OR leases.until <= ?")
                    .bind(0, name)
                    .bind(1, holder)
                    .bind(2, until)
                    .bind(3, now.getEpochSecond())
                    .execute();
            return n > 0;
        });
    }

    @Override
    public void releaseLease(String name, String holder) {
        write(h -> h.createUpdate("DELETE FROM leases WHERE name = ? AND holder = ?")
                .bind(0, name)
                .bind(1, holder)
                .execute());
    }

    // ---- accounts

    private static final String USER_COLUMNS = "addr, date, ttl, token_name, state";
    private static final String USER_READ_COLUMNS = USER_COLUMNS + ", disabled_at";

    private static Account account(java.sql.ResultSet rs) throws SQLException {
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

    @Override
    public Reservation reserveAccount(TokenKey key, EmailAddress address, Instant now, boolean credentialsKnown) {
        return write(false, h -> {
            Optional<Token> token = switch (key) {
                case TokenKey.ByName n -> findToken(h, "name", n.name().value());
                case TokenKey.BySecret s -> findToken(h, "token", s.secret().value());
            };
            if (token.isEmpty()) {
                return new Reservation.TokenNotFound();
            }
            Token t = token.get();
            if (h.createQuery("SELECT 1 FROM users WHERE addr = ?")
                    .bind(0, address.toString())
                    .mapTo(Integer.class)
                    .findOne()
                    .isPresent()) {
                return new Reservation.AddressTaken();
            }
            if (t.isExhausted()) {
                return new Reservation.TokenExhausted(t);
            }
            long date = now.getEpochSecond();
            int inserted = h.createUpdate("INSERT OR IGNORE INTO users (" + USER_COLUMNS
                            + ", credentials_known) VALUES (?, ?, ?, ?, 'pending', ?)")
                    .bind(0, address.toString())
                    .bind(1, date)
                    .bind(2, t.expiry().seconds())
                    .bind(3, t.name().value())
                    .bind(4, credentialsKnown ? 1 : 0)
                    .execute();
            if (inserted == 0) {
                return new Reservation.AddressTaken();
            }
            h.createUpdate("UPDATE tokens SET usecount = usecount + 1 WHERE name = ?")
                    .bind(0, t.name().value())
                    .execute();
            Account account = new Account(
                    address, Instant.ofEpochSecond(date), t.expiry().duration(), t.name(), AccountState.PENDING);
            return new Reservation.Reserved(account, t.withOneMoreUse());
        });
    }

    @Override
    public boolean confirmAccount(EmailAddress address, List<AuditEvent> audit) {
        return write(h -> {
            boolean confirmed = h.createUpdate("UPDATE users SET state = 'active' WHERE addr = ?")
                            .bind(0, address.toString())
                            .execute()
                    > 0;
            if (confirmed) {
                insertAudit(h, audit);
            }
            return confirmed;
        });
    }

    @Override
    public boolean markDisabled(EmailAddress address, Instant at) {
        return write(h -> h.createUpdate("UPDATE users SET disabled_at = ? WHERE addr = ?")
                        .bind(0, at.getEpochSecond())
                        .bind(1, address.toString())
                        .execute()
                > 0);
    }

    @Override
    public boolean markRestored(EmailAddress address, Instant newStart) {
        return write(h -> h.createUpdate("UPDATE users SET disabled_at = NULL, date = ? WHERE addr = ?")
                        .bind(0, newStart.getEpochSecond())
                        .bind(1, address.toString())
                        .execute()
                > 0);
    }

    // ---- audit log

    @Override
    public void recordAudit(Collection<AuditEvent> events) {
        if (!events.isEmpty()) {
            write(h -> {
                insertAudit(h, events);
                return null;
            });
        }
    }

    private static void insertAudit(Handle h, Collection<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        var batch = h.prepareBatch(
                "INSERT INTO audit (time, actor, action, object, token, outcome) VALUES (?, ?, ?, ?, ?, ?)");
        for (AuditEvent e : events) {
            batch.bind(0, e.time().getEpochSecond())
                    .bind(1, e.actor())
                    .bind(2, e.action())
                    .bind(3, e.object())
                    .bind(4, e.token().map(TokenName::value).orElse(null))
                    .bind(5, e.outcome())
                    .add();
        }
        batch.execute();
    }

    @Override
    public java.util.Map<TokenName, Long> countAudit(String action) {
        return read(h -> {
            java.util.Map<TokenName, Long> counts = new java.util.TreeMap<>();
            h.createQuery("SELECT token, count(*) AS n FROM audit WHERE action = ? AND outcome = 'ok'"
                            + " AND token IS NOT NULL GROUP BY token")
                    .bind(0, action)
                    .map((rs, ctx) -> java.util.Map.entry(new TokenName(rs.getString("token")), rs.getLong("n")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        });
    }

    @Override
    public List<AuditEvent> audit(Optional<Instant> since, Optional<TokenName> token, int limit) {
        return read(h -> {
            List<AuditEvent> newestFirst = h.createQuery("SELECT time, actor, action, object, token, outcome FROM audit"
                            + " WHERE time >= ? AND (? IS NULL OR token = ?) ORDER BY id DESC LIMIT ?")
                    .bind(0, since.map(Instant::getEpochSecond).orElse(Long.MIN_VALUE))
                    .bind(1, token.map(TokenName::value).orElse(null))
                    .bind(2, token.map(TokenName::value).orElse(null))
                    .bind(3, limit)
                    .map((rs, ctx) -> new AuditEvent(
                            Instant.ofEpochSecond(rs.getLong("time")),
                            rs.getString("actor"),
                            rs.getString("action"),
                            rs.getString("object"),
                            Optional.ofNullable(rs.getString("token")).map(TokenName::new),
                            rs.getString("outcome")))
                    .list();
            List<AuditEvent> oldestFirst = new java.util.ArrayList<>(newestFirst);
            java.util.Collections.reverse(oldestFirst);
            return oldestFirst;
        });
    }

    @Override
    public boolean releaseAccount(EmailAddress address) {
        return write(false, h -> {
            Optional<String> token = h.createQuery("SELECT token_name FROM users WHERE addr = ? AND state = 'pending'")
                    .bind(0, address.toString())
                    .mapTo(String.class)
                    .findOne();
            if (token.isEmpty()) {
                return false;
            }
            h.createUpdate("DELETE FROM users WHERE addr = ?")
                    .bind(0, address.toString())
                    .execute();
            h.createUpdate("UPDATE tokens SET usecount = usecount - 1 WHERE name = ? AND usecount > 0")
                    .bind(0, token.get())
                    .execute();
            return true;
        });
    }

    @Override
    public Optional<Account> findAccount(EmailAddress address) {
        return read(h -> h.createQuery("SELECT " + USER_READ_COLUMNS + " FROM users WHERE addr = ?")
                .bind(0, address.toString())
                .map((rs, ctx) -> account(rs))
                .findOne());
    }

    @Override
    public List<Account> listAccounts() {
        return read(h -> h.createQuery("SELECT " + USER_READ_COLUMNS + " FROM users ORDER BY addr")
                .map((rs, ctx) -> account(rs))
                .list());
    }

    @Override
    public List<Account> listAccounts(TokenName token) {
        return read(h -> h.createQuery("SELECT " + USER_READ_COLUMNS + " FROM users WHERE token_name = ? ORDER BY addr")
                .bind(0, token.value())
                .map((rs, ctx) -> account(rs))
                .list());
    }

    @Override
    public List<PendingAccount> listPending() {
        return read(h -> h.createQuery("SELECT " + USER_READ_COLUMNS
                        + ", credentials_known FROM users WHERE state = 'pending' ORDER BY addr")
                .map((rs, ctx) -> new PendingAccount(account(rs), rs.getInt("credentials_known") != 0))
                .list());
    }

    @Override
    public List<Account> listAccounts(AccountState state) {
        return read(h -> h.createQuery("SELECT " + USER_READ_COLUMNS + " FROM users WHERE state = ? ORDER BY addr")
                .bind(0, state == AccountState.PENDING ? "pending" : "active")
                .map((rs, ctx) -> account(rs))
                .list());
    }

    @Override
    public int deleteAccounts(Collection<EmailAddress> addresses) {
        if (addresses.isEmpty()) {
            return 0;
        }
        return write(h -> {
            PreparedBatch b = h.prepareBatch("DELETE FROM users WHERE addr = ?");
            for (EmailAddress a : addresses) {
                b.add(a.toString());
            }
            int n = 0;
            for (int count : b.execute()) {
                n += count;
            }
            return n;
        });
    }

    // ---- plumbing

    private <T> T read(org.jdbi.v3.core.HandleCallback<T, SQLException> callback) {
        return translate(() -> jdbi.withHandle(callback));
    }

    private <T> T write(org.jdbi.v3.core.HandleCallback<T, SQLException> callback) {
        return write(true, callback);
    }

    /**
     * Runs a write transaction. Durable writes wait for the disk before returning. Reservations and
     * releases are not durable: an OS crash may undo them, which reconcile repairs, and the next
     * durable commit (the confirmation a client waits for) makes them durable too. See
     * docs/architecture.md, "Durability".
     */
    private <T> T write(boolean durable, org.jdbi.v3.core.HandleCallback<T, SQLException> callback) {
        writeLock.lock();
        try {
            return translate(() -> {
                connections.durable(durable);
                return jdbi.inTransaction(callback);
            });
        } finally {
            writeLock.unlock();
        }
    }

    /** Translates SQLite failures into {@link StorageException}s by result code, never by message. */
    private static <T> T translate(SqlSupplier<T> action) {
        try {
            return action.get();
        } catch (SQLException e) {
            throw storageException(e);
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw storageException(sql);
            }
            throw new StorageException("database error: " + e.getMessage(), e);
        }
    }

    private static StorageException storageException(SQLException e) {
        if (e instanceof SQLiteException s) {
            SQLiteErrorCode code = s.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_BUSY
                    || code == SQLiteErrorCode.SQLITE_LOCKED
                    || code == SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT
                    || code == SQLiteErrorCode.SQLITE_BUSY_RECOVERY) {
                return new StorageBusyException(
                        "the database is locked by another process for more than " + BUSY_TIMEOUT.toSeconds()
                                + " s; try again",
                        e);
            }
            if (code == SQLiteErrorCode.SQLITE_READONLY
                    || code == SQLiteErrorCode.SQLITE_CANTOPEN
                    || code == SQLiteErrorCode.SQLITE_PERM) {
                return new StorageException(
                        "cannot write the database file: check that it and its folder are" + " writable by this user",
                        e);
            }
        }
        return new StorageException("database error: " + e.getMessage(), e);
    }

    @FunctionalInterface
    private interface SqlSupplier<T> {
        T get() throws SQLException;
    }
}
