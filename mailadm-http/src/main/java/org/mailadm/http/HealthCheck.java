package org.mailadm.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.Storage;

/**
 * Checks storage and mail provider. The provider's answer is remembered for a while: a health probe
 * every few seconds must not hammer mailcow, and with a wrong API key, repeated failed logins would
 * get this server's address banned by mailcow's fail2ban (10 failures in 10 minutes).
 */
final class HealthCheck {
    private static final Duration REMEMBER_OK = Duration.ofSeconds(30);
    private static final Duration REMEMBER_AUTH_FAILURE = Duration.ofMinutes(5);

    record Status(boolean ok, String storage, String mailcow) {}

    private final Storage storage;
    private final MailProvider provider;
    private final Clock clock;
    private String lastMailcow;
    private Instant validUntil = Instant.MIN;

    HealthCheck(Storage storage, MailProvider provider, Clock clock) {
        this.storage = storage;
        this.provider = provider;
        this.clock = clock;
    }

    synchronized Status check() {
        String s;
        try {
            storage.settings();
            s = "ok";
        } catch (RuntimeException e) {
            s = "failing: " + e.getMessage();
        }
        Instant now = clock.instant();
        if (now.isAfter(validUntil)) {
            Duration remember = REMEMBER_OK;
            try {
                provider.checkHealth();
                lastMailcow = "ok";
            } catch (MailProviderException e) {
                lastMailcow = "failing: " + e.getMessage();
                if (e.kind() == MailProviderException.Kind.AUTHENTICATION_FAILED
                        || e.kind() == MailProviderException.Kind.IP_NOT_ALLOWED) {
                    remember = REMEMBER_AUTH_FAILURE;
                }
            }
            validUntil = now.plus(remember);
        }
        return new Status(s.equals("ok") && lastMailcow.equals("ok"), s, lastMailcow);
    }
}
