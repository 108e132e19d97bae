package org.mailadm.sqlite;

import java.time.Duration;
import java.time.Instant;
import org.mailadm.core.port.LeaseStore;

/** {@link LeaseStore} on the {@code leases} table (schema 3): one row per lease, taken by a conditional upsert. */
final class SqliteLeases implements LeaseStore {
    private final Database db;

    SqliteLeases(Database db) {
        this.db = db;
    }

    @Override
    public boolean tryLease(String name, String holder, Instant now, Duration ttl) {
        return db.write(h -> h.createUpdate("INSERT INTO leases (name, holder, until) VALUES (:name, :holder, :until)"
                                + " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, until = excluded.until"
                                + " WHERE leases.holder = excluded.holder OR leases.until <= :now")
                        .bind("name", name)
                        .bind("holder", holder)
                        .bind("until", now.plus(ttl).getEpochSecond())
                        .bind("now", now.getEpochSecond())
                        .execute()
                > 0);
    }

    @Override
    public void releaseLease(String name, String holder) {
        db.write(h -> h.createUpdate("DELETE FROM leases WHERE name = :name AND holder = :holder")
                .bind("name", name)
                .bind("holder", holder)
                .execute());
    }
}
