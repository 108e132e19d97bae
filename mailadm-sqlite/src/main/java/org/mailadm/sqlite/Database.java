package org.mailadm.sqlite;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.mailadm.core.port.StorageBusyException;
import org.mailadm.core.port.StorageException;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * How every statement reaches the file: reads on pooled reader connections, writes in IMMEDIATE
 * transactions on the one writer connection under an in-process lock (which keeps SQLite's
 * busy-waiting for the cross-process case), and SQLite's failures translated into {@link
 * StorageException}s by result code. Thread-safe.
 */
final class Database {
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connections connections;
    private final Jdbi jdbi;
    private final Duration busyTimeout;

    Database(SQLiteDataSource dataSource, Duration busyTimeout) {
        this.connections = new Connections(dataSource, writeLock);
        this.jdbi = Jdbi.create(connections);
        this.busyTimeout = busyTimeout;
    }

    <T> T read(HandleCallback<T, SQLException> callback) {
        return translate(() -> jdbi.withHandle(callback), busyTimeout);
    }

    /** A durable write: it returns once the commit is on disk. */
    <T> T write(HandleCallback<T, SQLException> callback) {
        return write(true, callback);
    }

    /**
     * Runs a write transaction. Durable writes wait for the disk before returning. Reservations and
     * releases are not durable: an OS crash may undo them, which reconcile repairs, and the next
     * durable commit (the confirmation a client waits for) makes them durable too. See
     * docs/architecture.md, "Durability".
     */
    <T> T write(boolean durable, HandleCallback<T, SQLException> callback) {
        writeLock.lock();
        try {
            return translate(
                    () -> {
                        connections.durable(durable);
                        return jdbi.inTransaction(callback);
                    },
                    busyTimeout);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Folds the write-ahead log into the file ({@code wal_checkpoint(TRUNCATE)}) on the writer, then
     * closes every connection.
     */
    void checkpointAndClose() {
        translate(
                () -> {
                    connections.closeAll(c -> {
                        try (var st = c.createStatement()) {
                            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                        }
                    });
                    return null;
                },
                busyTimeout);
    }

    /** Runs {@code action}, translating SQLite failures into {@link StorageException}s by result code, never by message. */
    static <T> T translate(SqlSupplier<T> action, Duration busyTimeout) {
        try {
            return action.get();
        } catch (SQLException e) {
            throw storageException(e, busyTimeout);
        } catch (JdbiException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw storageException(sql, busyTimeout);
            }
            throw new StorageException("database error: " + e.getMessage(), e);
        }
    }

    private static StorageException storageException(SQLException e, Duration busyTimeout) {
        if (e instanceof SQLiteException s) {
            SQLiteErrorCode code = s.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_BUSY
                    || code == SQLiteErrorCode.SQLITE_LOCKED
                    || code == SQLiteErrorCode.SQLITE_BUSY_SNAPSHOT
                    || code == SQLiteErrorCode.SQLITE_BUSY_RECOVERY) {
                return new StorageBusyException(
                        "the database is locked by another process for more than " + busyTimeout.toSeconds()
                                + " s; try again",
                        e);
            }
            if (code == SQLiteErrorCode.SQLITE_READONLY
                    || code == SQLiteErrorCode.SQLITE_CANTOPEN
                    || code == SQLiteErrorCode.SQLITE_PERM) {
                return new StorageException(
                        "cannot write the database file: check that it and its folder are writable by this user", e);
            }
        }
        return new StorageException("database error: " + e.getMessage(), e);
    }

    @FunctionalInterface
    interface SqlSupplier<T> {
        T get() throws SQLException;
    }
}
