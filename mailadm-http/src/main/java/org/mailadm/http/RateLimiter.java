package org.mailadm.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client token buckets. {@link #tryAcquire} takes one token or says how long to wait. Buckets of
 * clients that went quiet are dropped, so memory stays bounded under a flood of addresses.
 * Thread-safe.
 */
final class RateLimiter {
    private static final int MAX_CLIENTS = 100_000;

    private final RateLimit limit;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updatedNanos;
    }

    RateLimiter(RateLimit limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
    }

    /** Takes one token for the client, or returns how long until one is available. */
    Optional<Duration> tryAcquire(String client) {
        if (!limit.enabled()) {
            return Optional.empty();
        }
        if (buckets.size() > MAX_CLIENTS) {
            evictIdle();
        }
        long now = nanos();
        double perNano = limit.count() / (double) limit.period().toNanos();
        Bucket b = buckets.computeIfAbsent(client, k -> {
            Bucket fresh = new Bucket();
            fresh.tokens = limit.count();
            fresh.updatedNanos = now;
            return fresh;
        });
        synchronized (b) {
            b.tokens = Math.min(limit.count(), b.tokens + (now - b.updatedNanos) * perNano);
            b.updatedNanos = now;
            if (b.tokens >= 1) {
                b.tokens -= 1;
                return Optional.empty();
            }
            long waitNanos = (long) Math.ceil((1 - b.tokens) / perNano);
            return Optional.of(Duration.ofNanos(waitNanos));
        }
    }

    /** Whether the client has no tokens left, without taking one. */
    boolean isExhausted(String client) {
        if (!limit.enabled()) {
            return false;
        }
        Bucket b = buckets.get(client);
        if (b == null) {
            return false;
        }
        synchronized (b) {
            double perNano = limit.count() / (double) limit.period().toNanos();
            return b.tokens + (nanos() - b.updatedNanos) * perNano < 1;
        }
    }

    private long nanos() {
        java.time.Instant i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    private void evictIdle() {
        long cutoff = nanos() - limit.period().toNanos();
        buckets.entrySet().removeIf(e -> e.getValue().updatedNanos < cutoff);
        if (buckets.size() > MAX_CLIENTS) {
            buckets.clear(); // a flood of distinct addresses: start over rather than grow
        }
    }
}
