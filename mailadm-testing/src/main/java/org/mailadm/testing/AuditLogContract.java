package org.mailadm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.audit.AuditOutcome;
import org.mailadm.core.token.TokenName;

/**
 * The behaviour every {@link org.mailadm.core.port.AuditLog} must have, run by {@link StorageContract} against each whole
 * store.
 */
public interface AuditLogContract extends StorageFixture {
    @Test
    default void audit_keepsEventsInOrderAndFilters() {
        TokenName one = new TokenName("oneday");
        storage()
                .recordAudit(List.of(
                        new AuditEvent(
                                NOW,
                                "cli:root",
                                AuditAction.TOKEN_ADDED,
                                "oneday",
                                Optional.of(one),
                                AuditOutcome.ok()),
                        new AuditEvent(
                                NOW.plusSeconds(60),
                                "web:203.0.113.5",
                                AuditAction.ACCOUNT_CREATED,
                                "tmp.a@example.org",
                                Optional.of(one),
                                AuditOutcome.ok()),
                        new AuditEvent(
                                NOW.plusSeconds(120),
                                "cli:root",
                                AuditAction.PRUNE_RUN,
                                "",
                                Optional.empty(),
                                AuditOutcome.ok("deleted 0"))));
        assertThat(storage().audit(Optional.empty(), Optional.empty(), 100))
                .extracting(AuditEvent::action)
                .containsExactly(AuditAction.TOKEN_ADDED, AuditAction.ACCOUNT_CREATED, AuditAction.PRUNE_RUN);
        assertThat(storage().audit(Optional.of(NOW.plusSeconds(60)), Optional.empty(), 100))
                .extracting(AuditEvent::action)
                .containsExactly(AuditAction.ACCOUNT_CREATED, AuditAction.PRUNE_RUN);
        assertThat(storage().audit(Optional.empty(), Optional.of(one), 1))
                .extracting(AuditEvent::action)
                .containsExactly(AuditAction.ACCOUNT_CREATED);
        assertThat(storage().countAudit(AuditAction.ACCOUNT_CREATED)).containsExactly(java.util.Map.entry(one, 1L));
        assertThat(storage().countAudit(AuditAction.ACCOUNT_PRUNED)).isEmpty();
        AuditEvent e = storage().audit(Optional.empty(), Optional.empty(), 100).get(1);
        assertThat(e.actor()).isEqualTo("web:203.0.113.5");
        assertThat(e.object()).isEqualTo("tmp.a@example.org");
        assertThat(e.time()).isEqualTo(NOW.plusSeconds(60));
        assertThat(storage()
                        .audit(Optional.empty(), Optional.empty(), 100)
                        .get(2)
                        .outcome())
                .isEqualTo(AuditOutcome.ok("deleted 0"));
    }

    @Test
    default void countAudit_countsEverySuccessWhateverItsDetail() {
        TokenName one = new TokenName("oneday");
        TokenName two = new TokenName("twoday");
        storage()
                .recordAudit(List.of(
                        new AuditEvent(
                                NOW,
                                "prune",
                                AuditAction.ACCOUNT_PRUNED,
                                "a@x.org",
                                Optional.of(one),
                                AuditOutcome.ok()),
                        new AuditEvent(
                                NOW,
                                "prune",
                                AuditAction.ACCOUNT_PRUNED,
                                "b@x.org",
                                Optional.of(one),
                                AuditOutcome.ok("mailcow had already deleted it")),
                        new AuditEvent(
                                NOW,
                                "prune",
                                AuditAction.ACCOUNT_PRUNED,
                                "c@x.org",
                                Optional.of(two),
                                AuditOutcome.failed("mailcow refused: ok then")),
                        new AuditEvent(
                                NOW,
                                "prune",
                                AuditAction.ACCOUNT_DELETED,
                                "d@x.org",
                                Optional.of(two),
                                AuditOutcome.ok()),
                        new AuditEvent(
                                NOW, "prune", AuditAction.PRUNE_RUN, "", Optional.empty(), AuditOutcome.ok("okay"))));
        assertThat(storage().countAudit(AuditAction.ACCOUNT_PRUNED)).containsExactly(java.util.Map.entry(one, 2L));
        assertThat(storage().countAudit(AuditAction.ACCOUNT_DELETED)).containsExactly(java.util.Map.entry(two, 1L));
        assertThat(storage().audit(Optional.empty(), Optional.empty(), 10))
                .extracting(AuditEvent::outcome)
                .extracting(AuditOutcome::result)
                .containsExactly(
                        AuditOutcome.Result.OK,
                        AuditOutcome.Result.OK,
                        AuditOutcome.Result.FAILED,
                        AuditOutcome.Result.OK,
                        AuditOutcome.Result.OK);
    }
}
