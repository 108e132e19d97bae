package org.mailadm.sqlite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.mailadm.core.port.StorageException;

/**
 * The database schema and its numbered migrations.
 *
 * <p>Version 1 is the original Python mailadm's schema. Version 2 adds {@code users.state}
 * ({@code active} or {@code pending}), an index on {@code users.token_name} and the {@code leases}
 * table. Version 3 adds the token settings of mailadm ({@code valid_from}, {@code valid_until},
 * {@code grace}, {@code quota}), {@code users.disabled_at} and the {@code audit} table. Version 4 adds
 * {@code users.credentials_known} (1 when an admin chose the password of a pending account, so
 * reconcile keeps its mailbox). Migrations run in one transaction on open, after a consistent copy of
 * the file is written next to it (mode 0600: it holds the mailcow API key); a database newer than
 * {@link #LATEST} is refused without being modified.
 */
final class Schema {
    static final int LATEST = 4;

    private static final String AUDIT_TABLE = """
            CREATE TABLE IF NOT EXISTS audit (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                time INTEGER NOT NULL,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                object TEXT NOT NULL,
                token TEXT,
                outcome TEXT NOT NULL
            )""";
    private static final String AUDIT_INDEX = "CREATE INDEX IF NOT EXISTS audit_time ON audit (time)";

    private static final List<String> CREATE = List.of(
            """
            CREATE TABLE tokens (
                name TEXT PRIMARY KEY,
                token TEXT NOT NULL UNIQUE,
                expiry TEXT NOT NULL,
                prefix TEXT,
                maxuse INTEGER default 50,
                usecount INTEGER default 0,
                valid_from INTEGER,
                valid_until INTEGER,
                grace TEXT,
                quota INTEGER NOT NULL DEFAULT 0
            )""",
            """
            CREATE TABLE users (
                addr TEXT PRIMARY KEY,
                date INTEGER,
                ttl INTEGER,
                token_name TEXT NOT NULL,
                state TEXT NOT NULL DEFAULT 'active',
                disabled_at INTEGER,
                credentials_known INTEGER NOT NULL DEFAULT 0,
                FOREIGN KEY (token_name) REFERENCES tokens (name)
            )""",
            "CREATE INDEX users_token_name ON users (token_name)",
            "CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until INTEGER NOT NULL)",
            AUDIT_TABLE,
            AUDIT_INDEX,
            """
            CREATE TABLE config (
                name TEXT PRIMARY KEY,
                value TEXT
            )""",
            "INSERT INTO config (name, value) VALUES ('dbversion', '" + LATEST + "')");

    /** Migration {@code i} takes version {@code i + 1} to {@code i + 2}. */
    private static final List<List<String>> MIGRATIONS = List.of(
            List.of(
                    "ALTER TABLE users ADD COLUMN state TEXT NOT NULL DEFAULT 'active'",
                    "CREATE INDEX IF NOT EXISTS users_token_name ON users (token_name)",
                    "CREATE TABLE IF NOT EXISTS leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, until INTEGER NOT NULL)"),
            List.of(
                    "ALTER TABLE tokens ADD COLUMN valid_from INTEGER",
                    "ALTER TABLE tokens ADD COLUMN valid_until INTEGER",
                    "ALTER TABLE tokens ADD COLUMN grace TEXT",
                    "ALTER TABLE tokens ADD COLUMN quota INTEGER NOT NULL DEFAULT 0",
                    "ALTER TABLE users ADD COLUMN disabled_at INTEGER",
                    AUDIT_TABLE,
                    AUDIT_INDEX),
            List.of("ALTER TABLE users ADD COLUMN credentials_known INTEGER NOT NULL DEFAULT 0"));

    private Schema() {}

    /** What a file holds before mailadm touches it. */
    enum Shape {
        MISSING,
        EMPTY,
        PRE_MAILCOW,
        VERSIONED
    }

    record Inspection(Shape shape, int version) {}

    /**
     * A plain connection straight from the SQLite driver: {@code DriverManager} would first look for
     * JDBC drivers in every jar on the class path (about 20 ms of a command).
     */
    private static Connection connect(Path file, Properties properties) throws SQLException {
        return org.sqlite.JDBC.createConnection("jdbc:sqlite:" + file, properties);
    }

    /** Looks at a database file without changing it. */
    static Inspection inspect(Path file) {
        if (!Files.exists(file)) {
            return new Inspection(Shape.MISSING, 0);
        }
        Properties p = new Properties();
        p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        try (Connection c = connect(file, p);
                Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            if (tables.isEmpty()) {
                return new Inspection(Shape.EMPTY, 0);
            }
            if (!tables.containsAll(List.of("tokens", "users", "config"))) {
                throw new StorageException(file + " is not a mailadm database (it lacks the tokens, users or config"
                        + " table); point MAILADM_DB at your mailadm.db");
            }
            int version = 1;
            try (ResultSet rs = s.executeQuery("SELECT value FROM config WHERE name = 'dbversion'")) {
                if (rs.next()) {
                    version = parseVersion(rs.getString(1));
                }
            }
            boolean preMailcow = false;
            try (ResultSet rs = s.executeQuery("PRAGMA table_info(users)")) {
                while (rs.next()) {
                    preMailcow |= rs.getString("name").equals("hash_pw");
                }
            }
            return new Inspection(preMailcow ? Shape.PRE_MAILCOW : Shape.VERSIONED, version);
        } catch (SQLException e) {
            throw new StorageException("cannot read database " + file + ": " + e.getMessage(), e);
        }
    }

    private static int parseVersion(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (RuntimeException e) {
            throw new StorageException("the database's dbversion '" + value + "' is not a number");
        }
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : CREATE) {
                s.execute(sql);
            }
        }
    }

    /** Runs the migrations from {@code from} to {@link #LATEST} in the caller's transaction. */
    static void migrate(Connection c, int from) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (int v = from; v < LATEST; v++) {
                for (String sql : MIGRATIONS.get(v - 1)) {
                    s.execute(sql);
                }
            }
            s.execute("UPDATE config SET value = '" + LATEST + "' WHERE name = 'dbversion'");
            s.execute("INSERT OR IGNORE INTO config (name, value) VALUES ('dbversion', '" + LATEST + "')");
        }
    }

    /** Turns a pre-mailcow database (users with hash_pw and homedir) into a version 1 database. */
    static void migratePreMailcow(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE users_new (addr TEXT PRIMARY KEY, date INTEGER, ttl INTEGER,"
                    + " token_name TEXT NOT NULL, FOREIGN KEY (token_name) REFERENCES tokens (name))");
            s.execute(
                    "INSERT INTO users_new (addr, date, ttl, token_name) SELECT addr, date, ttl, token_name FROM users");
            s.execute("DROP TABLE users");
            s.execute("ALTER TABLE users_new RENAME TO users");
            s.execute("DELETE FROM config WHERE name IN ('vmail_user', 'path_virtual_mailboxes')");
            s.execute("UPDATE config SET value = '1' WHERE name = 'dbversion'");
        }
    }

    /**
     * Writes a consistent copy of the database next to it ({@code mailadm.db.v1-20261126T101500Z.bak}).
     *
     * @return the copy's path
     */
    static Path backup(Path file, int version, Clock clock) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
                .withZone(ZoneOffset.UTC)
                .format(clock.instant());
        Path target = file.resolveSibling(file.getFileName() + ".v" + version + "-" + stamp + ".bak");
        for (int i = 1; Files.exists(target); i++) {
            target = file.resolveSibling(file.getFileName() + ".v" + version + "-" + stamp + "-" + i + ".bak");
        }
        try {
            copyTo(file, target);
        } catch (StorageException e) {
            throw new StorageException("cannot write the backup " + target + " before migrating: " + e.getMessage(), e);
        }
        return target;
    }

    /**
     * Writes a consistent copy of a database that may be in use, readable by its owner only (it holds
     * the mailcow API key), whatever the mode of the original: {@code VACUUM INTO} a new 0600 file in
     * the target's folder, then a rename, so {@code target} is either absent or complete. The copy has
     * no {@code -wal}: it is whole on its own.
     *
     * @throws StorageException when {@code target} exists or cannot be written
     */
    static void copyTo(Path file, Path target) {
        if (Files.exists(target)) {
            throw new StorageException(target + " exists already; choose another name or remove it first");
        }
        Path parent = target.toAbsolutePath().getParent();
        Path partial;
        try {
            partial = Files.createTempFile(
                    parent,
                    "." + target.getFileName() + ".",
                    ".partial",
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.AccessDeniedException e) {
            throw new StorageException("cannot write in " + parent + ": permission denied", e);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new StorageException("cannot write " + target + ": the folder " + parent + " does not exist", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new StorageException("cannot write in " + parent + ": " + e.getMessage(), e);
        }
        try {
            // VACUUM INTO writes a consistent copy from a read transaction, into an empty file.
            try (Connection c = connect(file, new Properties());
                    Statement s = c.createStatement()) {
                s.execute("VACUUM INTO '" + partial.toString().replace("'", "''") + "'");
            }
            Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (SQLException e) {
            throw new StorageException("cannot copy the database: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new StorageException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // best effort: a leftover .partial file is harmless and says what it is
            }
        }
    }
}
