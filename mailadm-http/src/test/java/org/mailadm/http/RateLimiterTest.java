package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.mailadm.testing.MutableClock;

/** Per-client buckets: the real wait, IPv6 by /64, bounded memory without a global reset. */
class RateLimiterTest {
    private final MutableClock clock = MutableClock.atFixedStart();

    @Test
    void theWaitIsTheRealOne() {
        RateLimiter limiter = new RateLimiter(RateLimit.parse("t", "2/min"), clock);
        assertThat(limiter.tryAcquire("203.0.113.5")).isEmpty();
        assertThat(limiter.tryAcquire("203.0.113.5")).isEmpty();
        assertThat(limiter.tryAcquire("203.0.113.5")).contains(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.exhaustedFor("203.0.113.5")).contains(Duration.ofSeconds(20));
        clock.advance(Duration.ofSeconds(20));
        assertThat(limiter.tryAcquire("203.0.113.5")).as("lifted when it said").isEmpty();
        assertThat(limiter.tryAcquire("203.0.113.6"))
                .as("another client has its own")
                .isEmpty();
    }

    @Test
    void ipv6ClientsAreKeyedByTheirSlash64() {
        assertThat(RateLimiter.key("2001:db8:1:2:3:4:5:6")).isEqualTo(RateLimiter.key("2001:db8:1:2:ffff::1"));
        assertThat(RateLimiter.key("2001:db8:1:2::1")).isNotEqualTo(RateLimiter.key("2001:db8:1:3::1"));
        assertThat(RateLimiter.key("203.0.113.5")).isEqualTo("203.0.113.5");
        RateLimiter limiter = new RateLimiter(RateLimit.parse("t", "1/min"), clock);
        assertThat(limiter.tryAcquire("2001:db8:1:2::1")).isEmpty();
        assertThat(limiter.tryAcquire("2001:db8:1:2:abcd::99"))
                .as("a host with a /64 cannot dodge the limit by changing its address")
                .isPresent();
    }

    @Test
    void aFloodOfAddresses_staysBounded_andTheLimitedClientStaysLimited() {
        RateLimiter limiter = new RateLimiter(RateLimit.parse("t", "1/min"), clock);
        String attacker = "198.51.100.1";
        assertThat(limiter.tryAcquire(attacker)).isEmpty();
        for (int i = 0; i < 150_000; i++) {
            limiter.tryAcquire("10." + (i >> 16 & 0xff) + "." + (i >> 8 & 0xff) + "." + (i & 0xff));
            if (i % 100 == 0) {
                assertThat(limiter.tryAcquire(attacker))
                        .as("still limited after %d other addresses", i)
                        .isPresent();
            }
        }
        assertThat(limiter.clients()).isLessThanOrEqualTo(RateLimiter.MAX_CLIENTS);
        assertThat(limiter.tryAcquire(attacker)).as("never a global reset").isPresent();
    }
}
