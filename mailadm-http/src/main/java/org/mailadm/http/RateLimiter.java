package org.mailadm.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.EstimationProbe;
import io.github.bucket4j.TimeMeter;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Per-client token buckets (Bucket4j) kept in a bounded cache (Caffeine). {@link #tryAcquire} takes
 * one token or says exactly how long until one is available; that wait is what {@code Retry-After}
 * and the 429's reason say.
 *
 * <p>An IPv6 client is keyed by its /64: one host usually holds a whole /64, so keying by the full
 * address would give it 2^64 buckets. At most {@link #MAX_CLIENTS} buckets are kept; past that the
 * cache evicts the entries least likely to be used again (W-TinyLFU, which keeps a client that keeps
 * coming, such as an attacker being limited), one at a time, never everyone's state at once. A bucket
 * idle for two periods is full again anyway and is dropped. Thread-safe.
 */
final class RateLimiter {
    static final int MAX_CLIENTS = 100_000;

    private final RateLimit limit;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    RateLimiter(RateLimit limit, Clock clock) {
        this.limit = limit;
        this.time = new ClockTime(clock);
        this.buckets = Caffeine.newBuilder()
                .maximumSize(MAX_CLIENTS)
                .expireAfterAccess(limit.period().multipliedBy(2))
                .build();
    }

    /** Bucket4j's time from the server's clock (tests move it by hand). */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            Instant i = clock.instant();
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }

    private Bucket bucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder()
                        .capacity(limit.count())
                        .refillGreedy(limit.count(), limit.period())
                        .build())
                .withCustomTimePrecision(time)
                .build();
    }

    /** Takes one token for the client, or returns how long until one is available. */
    Optional<Duration> tryAcquire(String client) {
        if (!limit.enabled()) {
            return Optional.empty();
        }
        ConsumptionProbe probe = buckets.get(key(client), k -> bucket()).tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** How long until the client may try again, if it has no tokens left; takes none. */
    Optional<Duration> exhaustedFor(String client) {
        if (!limit.enabled()) {
            return Optional.empty();
        }
        Bucket b = buckets.getIfPresent(key(client));
        if (b == null) {
            return Optional.empty();
        }
        EstimationProbe probe = b.estimateAbilityToConsume(1);
        return probe.canBeConsumed()
                ? Optional.empty()
                : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** How many clients have a bucket now (after pending evictions). */
    long clients() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    /** The bucket key: an IPv6 address's /64, any other client as it is. */
    static String key(String client) {
        if (client.indexOf(':') < 0) {
            return client;
        }
        try {
            InetAddress a =
                    InetAddress.getByName(client.startsWith("[") ? client.substring(1, client.length() - 1) : client);
            if (a instanceof Inet6Address) {
                byte[] b = a.getAddress();
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    sb.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff)))
                            .append(':');
                }
                return sb.append(":/64").toString();
            }
            return a.getHostAddress();
        } catch (UnknownHostException | IllegalArgumentException e) {
            return client; // not an address literal: as it is
        }
    }
}
