package org.mailadm.http;

import static org.mailadm.http.Exchanges.JSON;
import static org.mailadm.http.Exchanges.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.server.HttpHandler;
import java.time.Instant;
import java.util.function.Supplier;
import org.mailadm.core.audit.AuditAction;
import org.mailadm.core.port.AuditLog;

/** {@code /health} and {@code /metrics}: for operators; they never wait behind mailcow. */
final class StatusHandlers {
    private StatusHandlers() {}

    /** 200 or 503 with what storage and mailcow last showed; no network call (see {@link HealthCheck}). */
    static HttpHandler health(HealthCheck health, Supplier<Instant> startedAt) {
        return ex -> {
            HealthCheck.Status s = health.check();
            ObjectNode o = JSON.createObjectNode();
            o.put("status", s.ok() ? "ok" : "failing");
            o.put("storage", s.storage());
            o.put("mailcow", s.mailcow());
            o.put("started", startedAt.get().toString());
            send(ex, s.ok() ? 200 : 503, "application/json", o.toString());
        };
    }

    /** Prometheus text; prune runs in other processes (cron, systemd), so its count comes from the audit log. */
    static HttpHandler metrics(AuditLog auditLog, PrometheusMeterRegistry registry) {
        MultiGauge pruned = MultiGauge.builder("mailadm.token.pruned")
                .description("Accounts prune deleted, per token (from the audit log, so prune in any process counts)")
                .register(registry);
        return ex -> {
            pruned.register(
                    auditLog.countAudit(AuditAction.ACCOUNT_PRUNED).entrySet().stream()
                            .map(e -> MultiGauge.Row.of(
                                    Tags.of("token", e.getKey().value()), e.getValue()))
                            .toList(),
                    true);
            send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
        };
    }
}
