package org.mailadm.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.port.AuditLog;
import org.mailadm.core.token.TokenName;

/** {@link AuditLog} in memory, for {@link InMemoryStorage}. Thread-safe. */
final class InMemoryAuditLog implements AuditLog {
    private final List<AuditEvent> events = new ArrayList<>();

    @Override
    public synchronized Map<TokenName, Long> countAudit(AuditAction action) {
        Map<TokenName, Long> counts = new TreeMap<>();
        for (AuditEvent e : events) {
            if (e.action() == action && e.outcome().succeeded() && e.token().isPresent()) {
                counts.merge(e.token().get(), 1L, Long::sum);
            }
        }
        return counts;
    }

    @Override
    public synchronized void recordAudit(Collection<AuditEvent> events) {
        this.events.addAll(events);
    }

    @Override
    public synchronized List<AuditEvent> audit(Optional<Instant> since, Optional<TokenName> token, int limit) {
        List<AuditEvent> matching = events.stream()
                .filter(e -> since.isEmpty() || !e.time().isBefore(since.get()))
                .filter(e -> token.isEmpty() || e.token().equals(token))
                .toList();
        return List.copyOf(matching.subList(Math.max(0, matching.size() - limit), matching.size()));
    }
}
