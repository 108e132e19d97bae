package org.mailadm.http;

import org.mailadm.core.port.Storage;

/**
 * What {@code /health} says, at once and without a network call: the storage (one small read) and
 * mailcow as the {@link GuardedMailProvider} last found it (any call: a creation that got a 504
 * turns health to failing at once, not 30 s later) or as its breakers hold it. The server probes
 * mailcow in the background ({@link #probe()}), through the same breakers, so a rejected key is
 * never retried more often than they allow.
 */
final class HealthCheck {
    record Status(boolean ok, String storage, String mailcow) {}

    private final Storage storage;
    private final GuardedMailProvider mailcow;

    HealthCheck(Storage storage, GuardedMailProvider mailcow) {
        this.storage = storage;
        this.mailcow = mailcow;
    }

    Status check() {
        String s;
        try {
            storage.settings();
            s = "ok";
        } catch (RuntimeException e) {
            s = "failing: " + e.getMessage();
        }
        GuardedMailProvider.Status m = mailcow.status();
        String detail = m.ok() ? "ok" : "failing: " + m.detail();
        return new Status(s.equals("ok") && m.ok(), s, detail);
    }

    /**
     * One harmless call that tells a working read-write key from a rejected or read-only one
     * ({@code POST delete/mailbox []}, contract §8.2); its outcome is what {@link #check()} reports.
     * Held back while a breaker is open.
     */
    void probe() {
        try {
            mailcow.checkHealth();
        } catch (RuntimeException e) {
            // recorded by the guard; check() reports it
        }
    }
}
