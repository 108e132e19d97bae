package org.mailadm.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The accounts the benchmarks fill in, the same in the database and in the fake mailcow: {@code
 * tmp.b0@example.org}, {@code tmp.b1@example.org}, ... of the token {@code bench}.
 */
public final class BenchAccounts {
    public static final String TOKEN = "bench";

    private BenchAccounts() {}

    public static String address(int i) {
        return "tmp.b" + i + "@" + FakeMailcowServer.DOMAIN;
    }

    /** Inserts {@code n} active rows created at {@code createdEpoch}, one day to live, in one transaction. */
    public static void insertRows(Connection c, int n, long createdEpoch) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO users (addr, date, ttl, token_name, state) VALUES (?, ?, 86400, ?, 'active')")) {
            for (int i = 0; i < n; i++) {
                ps.setString(1, address(i));
                ps.setLong(2, createdEpoch);
                ps.setString(3, TOKEN);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
    }

    /** Gives the fake mailcow the same {@code n} mailboxes, tagged as mailadm tags them. */
    public static void putMailboxes(FakeMailcowServer mailcow, int n) {
        for (int i = 0; i < n; i++) {
            mailcow.putMailbox(address(i), "pw", List.of("mailadm:" + TOKEN));
        }
    }
}
