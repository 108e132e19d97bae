package org.mailadm.sqlite;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.port.AuditLog;
import org.mailadm.core.token.TokenName;

/**
 * {@link AuditLog} on the {@code audit} table (schema 2): actions as their {@link AuditAction#code()},
 * outcomes as their {@link AuditOutcome#text()}.
 */
final class SqliteAuditLog implements AuditLog {
    private final Database db;

    SqliteAuditLog(Database db) {
        this.db = db;
    }

    /** Appends {@code events} inside a caller's transaction (a confirmation records its event with it). */
    static void insert(Handle h, Collection<AuditEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("INSERT INTO audit (" + Rows.AUDIT_COLUMNS
                + ") VALUES (:time, :actor, :action, :object, :token, :outcome)");
        for (AuditEvent e : events) {
            batch.bind("time", e.time().getEpochSecond())
                    .bind("actor", e.actor())
                    .bind("action", e.action().code())
                    .bind("object", e.object())
                    .bind("token", e.token().map(TokenName::value).orElse(null))
                    .bind("outcome", e.outcome().text())
                    .add();
        }
        batch.execute();
    }

    @Override
    public void recordAudit(Collection<AuditEvent> events) {
        if (!events.isEmpty()) {
            db.write(h -> {
                insert(h, events);
                return null;
            });
        }
    }

    /**
     * Counts in SQL what {@link AuditOutcome#parse} reads as {@link AuditOutcome.Result#OK}: {@code ok}
     * alone, with a detail ({@code ok: ...}), or as earlier versions wrote it ({@code ok, ...}).
     */
    @Override
    public Map<TokenName, Long> countAudit(AuditAction action) {
        return db.read(h -> {
            Map<TokenName, Long> counts = new TreeMap<>();
            h.createQuery("SELECT token, count(*) AS n FROM audit WHERE action = :action"
                            + " AND (outcome = 'ok' OR outcome LIKE 'ok:%' OR outcome LIKE 'ok,%')"
                            + " AND token IS NOT NULL GROUP BY token")
                    .bind("action", action.code())
                    .map((rs, ctx) -> Map.entry(new TokenName(rs.getString("token")), rs.getLong("n")))
                    .forEach(e -> counts.put(e.getKey(), e.getValue()));
            return counts;
        });
    }

    @Override
    public List<AuditEvent> audit(Optional<Instant> since, Optional<TokenName> token, int limit) {
        return db.read(h -> {
            List<AuditEvent> newestFirst = new ArrayList<>(h.createQuery(
                            "SELECT " + Rows.AUDIT_COLUMNS + " FROM audit"
                                    + " WHERE time >= :since AND (:token IS NULL OR token = :token) ORDER BY id DESC LIMIT :limit")
                    .bind("since", since.map(Instant::getEpochSecond).orElse(Long.MIN_VALUE))
                    .bind("token", token.map(TokenName::value).orElse(null))
                    .bind("limit", limit)
                    .map(Rows.AUDIT_EVENT)
                    .list());
            Collections.reverse(newestFirst);
            return newestFirst;
        });
    }
}
