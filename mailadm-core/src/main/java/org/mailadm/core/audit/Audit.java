package org.mailadm.core.audit;

import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.mailadm.core.port.AuditLog;
import org.mailadm.core.token.TokenName;

/**
 * Writes the audit log for the use cases, as one actor: the entry point binds
 * {@code @Named("actor")} ({@code cli:<user>}, {@code web}, ...); the web endpoint names each
 * client itself.
 */
public final class Audit {
    private final AuditLog log;
    private final Clock clock;
    private final String actor;

    @Inject
    public Audit(AuditLog log, Clock clock, @Named("actor") String actor) {
        this.log = Objects.requireNonNull(log, "log == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.actor = Objects.requireNonNull(actor, "actor == null");
    }

    /** Who this log writes as. */
    public String actor() {
        return actor;
    }

    /** An event of {@code who}, now, for a storage call that records it with its change. */
    public AuditEvent event(
            String who, AuditAction action, String object, Optional<TokenName> token, AuditOutcome outcome) {
        return new AuditEvent(clock.instant(), who, action, object, token, outcome);
    }

    public void record(AuditAction action, String object, Optional<TokenName> token, AuditOutcome outcome) {
        record(actor, action, object, token, outcome);
    }

    public void record(String who, AuditAction action, String object, Optional<TokenName> token, AuditOutcome outcome) {
        log.recordAudit(List.of(new AuditEvent(clock.instant(), who, action, object, token, outcome)));
    }

    /** Records many events of this actor at once (prune: one write for thousands of accounts). */
    public void recordAll(List<Entry> entries) {
        if (!entries.isEmpty()) {
            var now = clock.instant();
            log.recordAudit(entries.stream()
                    .map(e -> new AuditEvent(now, actor, e.action(), e.object(), e.token(), e.outcome()))
                    .toList());
        }
    }

    /**
     * Reads the log back: the newest {@code limit} events, oldest first.
     *
     * @param since only events at or after this time
     * @param token only events concerning this token
     */
    public List<AuditEvent> events(Optional<Instant> since, Optional<TokenName> token, int limit) {
        return log.audit(since, token, limit);
    }

    /** One event of {@link #recordAll}. */
    public record Entry(AuditAction action, String object, Optional<TokenName> token, AuditOutcome outcome) {}
}
