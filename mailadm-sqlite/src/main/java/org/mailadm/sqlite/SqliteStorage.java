package org.mailadm.sqlite;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailadm.core.account.Account;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.Storage;
import org.mailadm.core.port.StorageException;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.core.token.TokenSecret;

/**
 * Every storage port on one SQLite file, compatible with the files the original mailadm writes: the
 * file's lifecycle (open, migrate, back up, close) here, each port's statements in its own class
 * ({@link SqliteSettings}, {@link SqliteTokens}, {@link SqliteAccounts}, {@link SqliteLeases},
 * {@link SqliteAuditLog}).
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
    private final Database db;
    private final Optional<Migration> migration;
    private final SqliteSettings settings;
    private final SqliteTokens tokens;
    private final SqliteAccounts accounts;
    private final SqliteLeases leases;
    private final SqliteAuditLog auditLog;

    private SqliteStorage(Path file, Database db, Optional<Migration> migration) {
        this.file = file;
        this.db = db;
        this.migration = migration;
        this.settings = new SqliteSettings(db);
        this.tokens = new SqliteTokens(db);
        this.accounts = new SqliteAccounts(db);
        this.leases = new SqliteLeases(db);
        this.auditLog = new SqliteAuditLog(db);
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
        var dataSource = SqliteFile.dataSource(absolute, busyTimeout);
        Optional<Migration> migration = SqliteFile.prepare(absolute, dataSource, clock);
        return new SqliteStorage(absolute, new Database(dataSource, busyTimeout), migration);
    }

    /**
     * Migrates a pre-mailcow database (the original's 0.x schema) in place, after writing a backup,
     * keeping every user and token.
     *
     * @return the backup's path, or empty when the file is not a pre-mailcow database
     */
    public static Optional<Path> migratePreMailcow(Path file, Clock clock) {
        return SqliteFile.migratePreMailcow(file.toAbsolutePath(), clock);
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
        db.checkpointAndClose();
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

    // ---- settings: SqliteSettings

    @Override
    public Optional<Settings> settings() {
        return settings.settings();
    }

    @Override
    public void saveSettings(Settings settings) {
        this.settings.saveSettings(settings);
    }

    @Override
    public List<ConfigEntry> configEntries() {
        return settings.configEntries();
    }

    // ---- tokens: SqliteTokens

    @Override
    public TokenInsert insertToken(Token token) {
        return tokens.insertToken(token);
    }

    @Override
    public Optional<Token> findToken(TokenName name) {
        return tokens.findToken(name);
    }

    @Override
    public Optional<Token> findToken(TokenSecret secret) {
        return tokens.findToken(secret);
    }

    @Override
    public List<Token> listTokens() {
        return tokens.listTokens();
    }

    @Override
    public Optional<Token> updateToken(TokenName name, Expiry expiry, String prefix, int maxUse, TokenPolicy policy) {
        return tokens.updateToken(name, expiry, prefix, maxUse, policy);
    }

    @Override
    public TokenRotation rotateSecret(TokenName name, TokenSecret newSecret) {
        return tokens.rotateSecret(name, newSecret);
    }

    @Override
    public boolean deleteToken(TokenName name) {
        return tokens.deleteToken(name);
    }

    @Override
    public int countAccounts(TokenName name) {
        return tokens.countAccounts(name);
    }

    // ---- leases: SqliteLeases

    @Override
    public boolean tryLease(String name, String holder, Instant now, Duration ttl) {
        return leases.tryLease(name, holder, now, ttl);
    }

    @Override
    public void releaseLease(String name, String holder) {
        leases.releaseLease(name, holder);
    }

    // ---- accounts: SqliteAccounts

    @Override
    public Reservation reserveAccount(TokenKey token, EmailAddress address, Instant now, boolean credentialsKnown) {
        return accounts.reserveAccount(token, address, now, credentialsKnown);
    }

    @Override
    public List<PendingAccount> listPending() {
        return accounts.listPending();
    }

    @Override
    public boolean confirmAccount(EmailAddress address, List<AuditEvent> audit) {
        return accounts.confirmAccount(address, audit);
    }

    @Override
    public boolean releaseAccount(EmailAddress address) {
        return accounts.releaseAccount(address);
    }

    @Override
    public Optional<Account> findAccount(EmailAddress address) {
        return accounts.findAccount(address);
    }

    @Override
    public List<Account> listAccounts() {
        return accounts.listAccounts();
    }

    @Override
    public List<Account> listAccounts(TokenName token) {
        return accounts.listAccounts(token);
    }

    @Override
    public List<Account> listAccounts(AccountState state) {
        return accounts.listAccounts(state);
    }

    @Override
    public boolean markDisabled(EmailAddress address, Instant at) {
        return accounts.markDisabled(address, at);
    }

    @Override
    public boolean markRestored(EmailAddress address, Instant newStart) {
        return accounts.markRestored(address, newStart);
    }

    @Override
    public int deleteAccounts(Collection<EmailAddress> addresses) {
        return accounts.deleteAccounts(addresses);
    }

    // ---- audit log: SqliteAuditLog

    @Override
    public void recordAudit(Collection<AuditEvent> events) {
        auditLog.recordAudit(events);
    }

    @Override
    public List<AuditEvent> audit(Optional<Instant> since, Optional<TokenName> token, int limit) {
        return auditLog.audit(since, token, limit);
    }

    @Override
    public Map<TokenName, Long> countAudit(AuditAction action) {
        return auditLog.countAudit(action);
    }
}
