package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.MutableClock;
import org.mailadm.testing.TestTokens;

class RateLimitAndProxyTest {
    @TempDir
    Path dir;

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void creations_limitedPerClient_429WithRetryAfter() throws Exception {
        ServerConfig config = ServerHarness.testConfig().withLimits(RateLimit.parse("t", "2/min"), RateLimit.OFF);
        try (ServerHarness h =
                new ServerHarness(dir, config, TestTokens.aToken().build())) {
            assertThat(h.post("/new_email?t=1d_r84EW3N8hEKk").statusCode()).isEqualTo(200);
            assertThat(h.post("/new_email?t=1d_r84EW3N8hEKk").statusCode()).isEqualTo(200);
            HttpResponse<String> r = h.post("/new_email?t=1d_r84EW3N8hEKk");
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.headers().firstValue("Retry-After").map(Long::parseLong))
                    .hasValueSatisfying(s -> assertThat(s).isBetween(1L, 60L));
            assertThat(JSON.readTree(r.body()).get("reason").asText())
                    .startsWith("too many requests from your address");
            assertThat(JSON.readTree(r.body()).get("status_code").asInt()).isEqualTo(429);
            assertThat(h.storage.listAccounts()).hasSize(2);
        }
    }

    @Test
    void invalidTokens_limitedPerClient_thenEvenValidOnesWait() throws Exception {
        ServerConfig config = ServerHarness.testConfig().withLimits(RateLimit.OFF, RateLimit.parse("t", "3/min"));
        try (ServerHarness h =
                new ServerHarness(dir, config, TestTokens.aToken().build())) {
            for (int i = 0; i < 3; i++) {
                assertThat(h.post("/new_email?t=guess" + i).statusCode()).isEqualTo(403);
            }
            HttpResponse<String> r = h.post("/new_email?t=guess9");
            assertThat(r.statusCode()).isEqualTo(429);
            String reason = JSON.readTree(r.body()).get("reason").asText();
            assertThat(reason)
                    .matches("too many invalid invitation codes from your address; try again in \\d+ seconds?");
            assertThat(r.headers().firstValue("Retry-After"))
                    .as("the header and the reason say the same wait")
                    .contains(reason.replaceAll(".* in (\\d+) .*", "$1"));
            assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow()))
                    .as("the real wait of 3/min after 3 guesses, not a fixed 60")
                    .isBetween(1L, 20L);
            assertThat(h.post("/new_email?t=1d_r84EW3N8hEKk").statusCode()).isEqualTo(429);
            assertThat(h.storage.listAccounts()).isEmpty();
        }
    }

    @Test
    void guessesOnTheTokenPage_countTowardsTheGuessingLimit() throws Exception {
        ServerConfig config = ServerHarness.testConfig().withLimits(RateLimit.OFF, RateLimit.parse("t", "3/min"));
        try (ServerHarness h =
                new ServerHarness(dir, config, TestTokens.aToken().build())) {
            for (int i = 0; i < 3; i++) {
                assertThat(h.send("GET", "/new_email?t=guess" + i).statusCode()).isEqualTo(403);
            }
            HttpResponse<String> page = h.send("GET", "/new_email?t=guess9");
            assertThat(page.statusCode())
                    .as("the page is no way around the limit")
                    .isEqualTo(429);
            assertThat(page.headers().firstValue("Retry-After")).isPresent();
            assertThat(h.post("/new_email?t=1d_r84EW3N8hEKk").statusCode()).isEqualTo(429);
            assertThat(h.send("GET", "/new_email").statusCode())
                    .as("no token: nothing guessed")
                    .isEqualTo(404);
        }
    }

    @Test
    void forwardedFor_honouredOnlyFromTrustedProxies() throws Exception {
        ServerConfig trusting = ServerHarness.testConfig().withLimits(RateLimit.parse("t", "1/min"), RateLimit.OFF);
        try (ServerHarness h =
                new ServerHarness(dir, trusting, TestTokens.aToken().build())) {
            // behind nginx on 127.0.0.1: two different clients get a budget each
            assertThat(h.send("POST", "/new_email?t=1d_r84EW3N8hEKk", "X-Forwarded-For", "203.0.113.7")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(h.send("POST", "/new_email?t=1d_r84EW3N8hEKk", "X-Real-IP", "203.0.113.8")
                            .statusCode())
                    .isEqualTo(200);
            assertThat(h.send("POST", "/new_email?t=1d_r84EW3N8hEKk", "X-Forwarded-For", "203.0.113.7")
                            .statusCode())
                    .isEqualTo(429);
        }
    }

    @Test
    void forwardedFor_ignoredFromUntrustedPeers() throws Exception {
        ServerConfig distrusting = ServerHarness.testConfig()
                .withLimits(RateLimit.parse("t", "1/min"), RateLimit.OFF)
                .withTrustedProxies(List.of(Cidr.parse("t", "10.0.0.0/8")));
        try (ServerHarness h = new ServerHarness(
                dir.resolve("b").toFile().mkdirs() ? dir.resolve("b") : dir,
                distrusting,
                TestTokens.aToken().build())) {
            assertThat(h.send("POST", "/new_email?t=1d_r84EW3N8hEKk", "X-Forwarded-For", "203.0.113.7")
                            .statusCode())
                    .isEqualTo(200);
            // a client cannot escape its limit by claiming another address
            assertThat(h.send("POST", "/new_email?t=1d_r84EW3N8hEKk", "X-Forwarded-For", "203.0.113.99")
                            .statusCode())
                    .isEqualTo(429);
        }
    }

    @Test
    void rateLimiter_refillsOverTime() {
        MutableClock clock = MutableClock.atFixedStart();
        RateLimiter limiter = new RateLimiter(RateLimit.parse("t", "2/min"), clock);
        assertThat(limiter.tryAcquire("a")).isEmpty();
        assertThat(limiter.tryAcquire("a")).isEmpty();
        assertThat(limiter.tryAcquire("a"))
                .hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(29), Duration.ofSeconds(30)));
        assertThat(limiter.tryAcquire("b")).isEmpty();
        clock.advance(Duration.ofSeconds(30));
        assertThat(limiter.tryAcquire("a")).isEmpty();
        assertThat(limiter.tryAcquire("a")).isPresent();
    }

    @Test
    void configuration_errorsNameTheVariable() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ServerConfig.fromEnvironment(java.util.Map.of("MAILADM_PORT", "http")))
                .hasMessageContaining("MAILADM_PORT");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ServerConfig.fromEnvironment(java.util.Map.of("MAILADM_RATE_LIMIT", "lots")))
                .hasMessageContaining("MAILADM_RATE_LIMIT")
                .hasMessageContaining("60/min");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> ServerConfig.fromEnvironment(java.util.Map.of("MAILADM_TRUSTED_PROXIES", "nginx.local")))
                .hasMessageContaining("MAILADM_TRUSTED_PROXIES");
        ServerConfig d = ServerConfig.defaults();
        assertThat(d.port()).isEqualTo(3691);
        assertThat(d.bindAddress()).isEqualTo("0.0.0.0");
    }
}
