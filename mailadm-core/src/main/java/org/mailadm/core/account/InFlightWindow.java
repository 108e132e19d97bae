package org.mailadm.core.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a creation may be in flight: a pending account younger than this may still be waiting
 * for the provider in this or another process (the server, a CLI {@code add-user}), so nothing
 * settles, prunes or forgets it. One rule for every use case that could: start-up and background
 * settling in the server, {@code reconcile}, {@code prune}.
 *
 * <p>A creation takes at most one connect, one request and one confirming write; the window is twice
 * the provider's connect plus request timeout, and never less than {@link #MINIMUM}, which covers a
 * CLI and a server configured with different timeouts.
 *
 * @param duration the window's length
 */
public record InFlightWindow(Duration duration) {
    /** The shortest window, whatever the timeouts: 5 minutes. */
    public static final Duration MINIMUM = Duration.ofMinutes(5);

    public InFlightWindow {
        Objects.requireNonNull(duration, "duration == null");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative");
        }
    }

    /** The window for a provider with these timeouts: {@code max(5 min, 2 × (connect + request))}. */
    public static InFlightWindow forTimeouts(Duration connectTimeout, Duration requestTimeout) {
        Duration derived = connectTimeout.plus(requestTimeout).multipliedBy(2);
        return new InFlightWindow(derived.compareTo(MINIMUM) > 0 ? derived : MINIMUM);
    }

    /** True while the account may still be in the middle of its creation. */
    public boolean holds(Account account, Instant now) {
        return account.createdAt().isAfter(now.minus(duration));
    }
}
