package org.mailadm.testing;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.mailadm.core.port.LeaseStore;

/** {@link LeaseStore} in memory, for {@link InMemoryStorage}. Thread-safe. */
final class InMemoryLeases implements LeaseStore {
    private final Map<String, Map.Entry<String, Instant>> leases = new TreeMap<>();

    @Override
    public synchronized boolean tryLease(String name, String holder, Instant now, java.time.Duration ttl) {
        Map.Entry<String, Instant> current = leases.get(name);
        if (current != null
                && !current.getKey().equals(holder)
                && current.getValue().isAfter(now)) {
            return false;
        }
        leases.put(name, Map.entry(holder, now.plus(ttl)));
        return true;
    }

    @Override
    public synchronized void releaseLease(String name, String holder) {
        Map.Entry<String, Instant> current = leases.get(name);
        if (current != null && current.getKey().equals(holder)) {
            leases.remove(name);
        }
    }
}
