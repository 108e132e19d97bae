package org.mailadm.sqlite;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.mailadm.core.port.StorageException;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opening the database file: refusing what is not ours or is newer, creating a missing file
 * readable by its owner only, and migrating an older schema after a backup. Every check that
 * matters is repeated inside the write transaction, because another process may open the same
 * file at the same moment.
 */
final class SqliteFile {
    private SqliteFile() {}

    /** A data source for {@code file} with mailadm's settings: WAL, FULL sync, IMMEDIATE writes, foreign keys. */
    static SQLiteDataSource dataSource(Path file, Duration busyTimeout) {
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

    /**
     * Checks, creates or migrates {@code file} (absolute) so that it holds the latest schema.
     *
     * @return the migration that ran, if one did
     * @throws StorageException as {@link SqliteStorage#open(Path, Clock)} says
     */
    static Optional<SqliteStorage.Migration> prepare(Path file, SQLiteDataSource dataSource, Clock clock) {
        Schema.Inspection inspection = Schema.inspect(file);
        Optional<SqliteStorage.Migration> migration = Optional.empty();
        switch (inspection.shape()) {
            case PRE_MAILCOW ->
                throw new StorageException(file + " is a pre-mailcow mailadm database;"
                        + " run `mailadm migrate-db` to migrate it (a backup copy is written first)");
            case VERSIONED -> {
                refuseIfNewer(file, inspection.version());
                if (inspection.version() < Schema.LATEST) {
                    migration = Optional.of(new SqliteStorage.Migration(
                            inspection.version(), Schema.LATEST, Schema.backup(file, inspection.version(), clock)));
                }
            }
            case MISSING, EMPTY -> {
                requireParent(file);
                createPrivate(file);
            }
        }
        Database.translate(
                () -> Jdbi.create(dataSource).inTransaction(h -> upgrade(h.getConnection(), file)),
                SqliteStorage.BUSY_TIMEOUT);
        return migration;
    }

    /**
     * Migrates a pre-mailcow database in place, after writing a backup.
     *
     * @return the backup's path, or empty when the file is not a pre-mailcow database
     */
    static Optional<Path> migratePreMailcow(Path file, Clock clock) {
        if (Schema.inspect(file).shape() != Schema.Shape.PRE_MAILCOW) {
            return Optional.empty();
        }
        Jdbi jdbi = Jdbi.create(dataSource(file, SqliteStorage.BUSY_TIMEOUT));
        Path backup = Schema.backup(file, 0, clock);
        return Database.translate(
                () -> jdbi.inTransaction(h -> {
                    Connection c = h.getConnection();
                    Schema.migratePreMailcow(c);
                    Schema.migrate(c, 1);
                    return Optional.of(backup);
                }),
                SqliteStorage.BUSY_TIMEOUT);
    }

    private static void refuseIfNewer(Path file, int version) {
        if (version > Schema.LATEST) {
            throw new StorageException(file + " has database version " + version + ", newer than this mailadm"
                    + " understands (" + Schema.LATEST + "); upgrade mailadm. The file was not changed.");
        }
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
                        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
        } catch (FileAlreadyExistsException raced) {
            // another process created it first; it chose the mode
        } catch (IOException e) {
            throw new StorageException("cannot create " + file + ": " + e.getMessage(), e);
        }
    }

    /** Inside the write transaction: creates the schema in an empty file, or migrates an older one. */
    private static Void upgrade(Connection c, Path file) throws SQLException {
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
}
