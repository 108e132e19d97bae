package org.mailadm.http;

import org.mailadm.core.port.SettingsStore;

/**
 * What {@code /health} says, at once and without a network call: the storage (one small read) and
 * mailcow as the {@link GuardedMailProvider} last found it (any call: a creation that got a 504
 * turns health to failing at once, not 30 s later) or as its breakers hold it. The server probes
 * mailcow in the background ({@link #probe()}), through the same breakers, so a rejected key is
 * never retried more often than they allow.
 */
final class HealthCheck {
    /**
     * What {@code /health} answers.
     *
     * @param storage {@code ok}, or {@code failing: } and why
     * @param mailcow {@code ok}, or {@code failing: } and why
     */
    record Status(boolean storageOk, boolean mailcowOk, String storage, String mailcow) {
        boolean ok() {
            return storageOk && mailcowOk;
        }
    }

    private final SettingsStore storage;
    private final GuardedMailProvider mailcow;

    HealthCheck(SettingsStore storage, GuardedMailProvider mailcow) {
        this.storage = storage;
        this.mailcow = mailcow;
    }

    Status check() {
        boolean storageOk;
        String s;
        try {
            storage.settings();
            storageOk = true;
            s = "ok";
        } catch (RuntimeException e) {
            storageOk = false;
            s = "failing: " + e.getMessage();
        }
        GuardedMailProvider.Status m = mailcow.status();
        return new Status(storageOk, m.ok(), s, m.ok() ? "ok" : "failing: " + m.detail());
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
