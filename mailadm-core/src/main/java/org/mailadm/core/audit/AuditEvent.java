package org.mailadm.core.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.mailadm.core.token.TokenName;

/**
 * One change, as the audit log keeps it. Never holds a secret: objects are token names and
 * addresses, outcomes are words.
 *
 * @param actor who did it: {@code cli:<user>}, {@code web:<client address>}, {@code prune}, ...
 * @param action what was done
 * @param object what it was done to: a token name, an address, or empty for runs
 * @param token the token concerned, when there is one
 * @param outcome how it ended
 */
public record AuditEvent(
        Instant time,
        String actor,
        AuditAction action,
        String object,
        Optional<TokenName> token,
        AuditOutcome outcome) {
    public AuditEvent {
        Objects.requireNonNull(time, "time == null");
        Objects.requireNonNull(actor, "actor == null");
        Objects.requireNonNull(action, "action == null");
        Objects.requireNonNull(object, "object == null");
        Objects.requireNonNull(token, "token == null");
        Objects.requireNonNull(outcome, "outcome == null");
    }
}
