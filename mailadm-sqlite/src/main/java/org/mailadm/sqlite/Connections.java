package org.mailadm.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.ConnectionFactory;
import org.sqlite.SQLiteDataSource;

/**
 * Keeps SQLite connections open instead of opening one per call: one writer connection, used only
 * by the thread holding the write lock, and a few idle reader connections. Opening a connection
 * costs more than most of mailadm's queries.
 */
final class Connections implements ConnectionFactory {
    private static final int IDLE_READERS = 8;

    private final SQLiteDataSource dataSource;
    private final ReentrantLock writeLock;
    private final BlockingQueue<Connection> idle = new ArrayBlockingQueue<>(IDLE_READERS);
    private Connection writer;
    private boolean writerDurable = true;

    Connections(SQLiteDataSource dataSource, ReentrantLock writeLock) {
        this.dataSource = dataSource;
        this.writeLock = writeLock;
    }

    @Override
    public Connection openConnection() throws SQLException {
        if (writeLock.isHeldByCurrentThread()) {
            if (writer == null || writer.isClosed()) {
                writer = dataSource.getConnection();
                writerDurable = true;
            }
            return writer;
        }
        Connection c = idle.poll();
        return c != null ? c : dataSource.getConnection();
    }

    @Override
    public void closeConnection(Connection c) throws SQLException {
        if (c == writer) {
            return;
        }
        if (c.isClosed() || !c.getAutoCommit() || !idle.offer(c)) {
            c.close();
        }
    }

    /** Something to run on the writer before it closes. */
    @FunctionalInterface
    interface LastWords {
        void on(Connection writer) throws SQLException;
    }

    /**
     * Closes the pooled readers, then runs {@code lastWords} on the writer (opened for it if need be)
     * under the write lock and closes it. Connections in use are closed when they are given back.
     */
    void closeAll(LastWords lastWords) throws SQLException {
        for (Connection c; (c = idle.poll()) != null; ) {
            c.close();
        }
        writeLock.lock();
        try {
            Connection c = openConnection();
            try {
                lastWords.on(c);
            } finally {
                c.close();
                writer = null;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sets whether the writer's next commits wait for the disk ({@code synchronous=FULL}) or only
     * for the OS ({@code NORMAL}; in WAL mode a later FULL commit makes them durable too). Call with
     * the write lock held, outside a transaction.
     */
    void durable(boolean durable) throws SQLException {
        Connection c = openConnection();
        if (durable != writerDurable) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA synchronous = " + (durable ? "FULL" : "NORMAL"));
            }
            writerDurable = durable;
        }
    }
}
