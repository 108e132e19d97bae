package org.mailadm.core.port;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.token.TokenName;

/**
 * The audit log: who changed what, when, and how it ended.
 *
 * <p>Every method is atomic: it happens completely or not at all. Implementations are safe for
 * use by many threads at once and, for file-based stores, by several processes on the same file.
 * No method waits on anything but the store itself, so callers may hold no lock across a call to
 * another port. Failures of the store itself throw {@link StorageException} ({@link
 * StorageBusyException} when another writer holds the store too long); expected outcomes are return
 * values.
 */
public interface AuditLog {
    /** Appends events to the audit log, in one transaction. */
    void recordAudit(Collection<AuditEvent> events);

    /**
     * Audit events, oldest first.
     *
     * @param since only events at or after this time
     * @param token only events concerning this token
     * @param limit at most this many (the newest ones)
     */
    List<AuditEvent> audit(Optional<Instant> since, Optional<TokenName> token, int limit);

    /**
     * How many events with this action ended {@link AuditOutcome.Result#OK} per token, for metrics
     * (tokens with none are absent).
     */
    Map<TokenName, Long> countAudit(AuditAction action);
}
