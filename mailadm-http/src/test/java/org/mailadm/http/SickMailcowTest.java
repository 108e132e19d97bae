package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.TestTokens;

/** A sick mailcow never takes mailadm down, and mailadm never gets its own host banned (issue 13). */
class SickMailcowTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T = "1d_r84EW3N8hEKk";

    @TempDir
    Path dir;

    private record Timed(int status, JsonNode body, Duration took, String retryAfter) {}

    private static CompletableFuture<Timed> postAsync(ServerHarness h, String forwardedFor) {
        long start = System.nanoTime();
        HttpRequest.Builder b = HttpRequest.newBuilder(h.url("/new_email?t=" + T))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody());
        if (forwardedFor != null) {
            b.header("X-Forwarded-For", forwardedFor);
        }
        return h.client
                .sendAsync(b.build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> {
                    try {
                        return new Timed(
                                r.statusCode(),
                                JSON.readTree(r.body()),
                                Duration.ofNanos(System.nanoTime() - start),
                                r.headers().firstValue("Retry-After").orElse(null));
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
    }

    private static Duration timedGet(HttpClient client, URI uri) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isIn(200, 503);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Test
    void hungMailcow_100CreationsAtOnce_healthAndMetricsAnswerFast_everyClientInTime() throws Exception {
        try (ServerHarness h =
                new ServerHarness(dir, TestTokens.aToken().withMaxUse(1000).build())) {
            HttpClient probe =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < 20; i++) { // warm up
                timedGet(probe, h.url("/health"));
                timedGet(probe, h.url("/metrics"));
            }
            h.mailcow.setHang(true); // accepts connections, never answers
            List<CompletableFuture<Timed>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(postAsync(h, null));
            }
            Duration slowest = Duration.ZERO;
            while (!calls.stream().allMatch(CompletableFuture::isDone)) {
                for (URI u : List.of(h.url("/health"), h.url("/metrics"))) {
                    Duration took = timedGet(probe, u);
                    slowest = took.compareTo(slowest) > 0 ? took : slowest;
                }
                Thread.onSpinWait();
            }
            assertThat(slowest)
                    .as("/health and /metrics never wait behind mailcow")
                    .isLessThan(Duration.ofMillis(100));
            int timedOut = 0;
            for (CompletableFuture<Timed> c : calls) {
                Timed t = c.get();
                assertThat(t.took())
                        .as("answered within the mailcow timeout + 1 s")
                        .isLessThan(ServerHarness.PROVIDER_TIMEOUT.plusSeconds(1));
                assertThat(t.status()).isIn(503, 504);
                if (t.status() == 503) {
                    assertThat(t.retryAfter()).isNotNull();
                    assertThat(t.body().get("reason").asText())
                            .matches("(too many accounts are being created right now|the mail server is not answering);"
                                    + " try again in \\d+ seconds?");
                } else {
                    timedOut++;
                }
            }
            assertThat(timedOut)
                    .as("at most MAILCOW_MAX_CALLS calls were in mailcow")
                    .isBetween(1, ServerConfig.Guard.DEFAULTS.maxCalls());
            JsonNode health = JSON.readTree(h.send("GET", "/health").body());
            assertThat(health.get("mailcow").asText()).startsWith("failing: mailcow did not answer");

            h.mailcow.setHang(false);
            assertThat(h.mailcow.awaitIdle(Duration.ofSeconds(5))).isTrue();
            h.server.close();
            Consistency.settleOnceTheWindowHasPassed(h.storage);
            Consistency.assertAgree(h.storage, h.mailcow, "oneday");
        }
    }

    @Test
    void wrongKey_200PostsFrom50Addresses_atMostTwoCallsReachMailcow_every503SaysWhenToComeBack() throws Exception {
        ServerConfig config = ServerHarness.testConfig()
                .withGuard(ServerConfig.Guard.DEFAULTS
                        .withoutProbe()
                        .withProbeEvery(Duration.ofMillis(100))); // the health probe must not add rejected calls
        try (ServerHarness h = new ServerHarness(
                dir, config, TestTokens.aToken().withMaxUse(1000).build())) {
            h.mailcow.removeKey(FakeMailcowServer.RW_KEY); // mailcow does not know our key
            int before = h.mailcow.totalRequests();
            List<CompletableFuture<Timed>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(postAsync(h, "203.0.113." + (i % 50 + 1))); // all at once: the worst case
            }
            int paused = 0;
            for (CompletableFuture<Timed> c : calls) {
                Timed t = c.get(30, TimeUnit.SECONDS);
                assertThat(t.status()).isEqualTo(503);
                String reason = t.body().get("reason").asText();
                assertThat(reason)
                        .as("a reason a user understands, with the wait it announces")
                        .matches("(the server cannot create accounts right now|too many accounts are being created"
                                + " right now); try again in \\d+ (seconds?|minutes)");
                long announced = Long.parseLong(reason.replaceAll(".* in (\\d+) .*", "$1"))
                        * (reason.endsWith("minutes") ? 60 : 1);
                assertThat(Long.parseLong(t.retryAfter())).isBetween(announced - 60, announced);
                if (reason.endsWith("minutes")) {
                    paused++;
                }
            }
            assertThat(paused)
                    .as("once the key is known rejected, every client is told minutes")
                    .isGreaterThan(150);
            assertThat(h.mailcow.totalRequests() - before)
                    .as("rejected calls that reach mailcow (its fail2ban bans after 10)")
                    .isBetween(1, 2);
            JsonNode health = JSON.readTree(h.send("GET", "/health").body());
            assertThat(health.get("status").asText()).isEqualTo("failing");
            assertThat(health.get("mailcow").asText())
                    .startsWith("failing: mailcow rejected the API key")
                    .contains("account creation paused for");
            assertThat(h.storage.listAccounts()).as("every use given back").isEmpty();
            assertThat(h.send("GET", "/metrics").body())
                    .contains("mailadm_mailcow_circuit{breaker=\"key_rejected\"} 1.0")
                    .contains("mailadm_mailcow_circuit{breaker=\"unreachable\"} 0.0")
                    .contains("mailadm_mailcow_calls_available 10.0");
        }
    }

    @Test
    void keyRejected_afterTheCooldownOneProbe_thenPausedAgain_andAFixedKeyCloses() throws Exception {
        ServerConfig config = ServerHarness.testConfig()
                .withGuard(new ServerConfig.Guard(10, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ZERO, 5));
        try (ServerHarness h = new ServerHarness(
                dir, config, TestTokens.aToken().withMaxUse(1000).build())) {
            h.mailcow.removeKey(FakeMailcowServer.RW_KEY);
            int before = h.mailcow.totalRequests();
            assertThat(h.post("/new_email?t=" + T).statusCode()).isEqualTo(503);
            assertThat(h.post("/new_email?t=" + T).statusCode()).isEqualTo(503);
            assertThat(h.mailcow.totalRequests() - before)
                    .as("paused after one rejection")
                    .isEqualTo(1);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (h.mailcow.totalRequests() - before < 2 && System.nanoTime() < deadline) {
                h.post("/new_email?t=" + T);
            }
            assertThat(h.mailcow.totalRequests() - before)
                    .as("one probe after the cool-down")
                    .isEqualTo(2);
            h.mailcow.addKey(FakeMailcowServer.RW_KEY, "rw", List.of(), true); // the operator fixed the key
            deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                status = h.post("/new_email?t=" + T).statusCode();
            }
            assertThat(status)
                    .as("the next probe succeeds and creations flow again")
                    .isEqualTo(200);
        }
    }

    @Test
    void readOnlyKey_healthSaysSo_creationsPausedWithAReason() throws Exception {
        ServerConfig config = ServerHarness.testConfig()
                .withGuard(ServerConfig.Guard.DEFAULTS.withProbeEvery(Duration.ofMillis(100)));
        try (FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
            Path db = dir.resolve("mailadm.db");
            var storage =
                    ServerHarness.database(db, mailcow, TestTokens.aToken().build());
            Settings s = storage.settings().orElseThrow();
            storage.saveSettings(new Settings(
                    s.mailDomain(), s.webEndpoint(), s.mailcowEndpoint(), new ApiKey(FakeMailcowServer.RO_KEY)));
            MailadmServer server = HttpComponent.create(config, java.time.Clock.systemUTC(), db)
                    .server()
                    .start();
            try {
                HttpClient client = HttpClient.newHttpClient();
                URI health = URI.create("http://127.0.0.1:" + server.port() + "/health");
                String mailcowStatus = "";
                long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (!mailcowStatus.contains("read") && System.nanoTime() < deadline) {
                    mailcowStatus = JSON.readTree(client.send(
                                            HttpRequest.newBuilder(health).build(),
                                            HttpResponse.BodyHandlers.ofString())
                                    .body())
                            .get("mailcow")
                            .asText();
                }
                assertThat(mailcowStatus)
                        .startsWith("failing: mailcow refused a change with this API key (read/write access denied)")
                        .contains("must be the read-write key");
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/new_email?t=" + T))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                assertThat(mailcow.usernames()).isEmpty();
            } finally {
                server.close();
            }
        }
    }

    @Test
    void startUp_withInterruptedCreationsAndAHungMailcow_answersAtOnce() throws Exception {
        try (FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
            Path db = dir.resolve("mailadm.db");
            var storage =
                    ServerHarness.database(db, mailcow, TestTokens.aToken().build());
            for (int i = 0; i < 3; i++) { // interrupted creations, long due for settling
                storage.reserveAccount(
                        new org.mailadm.core.port.Storage.TokenKey.ByName(
                                new org.mailadm.core.token.TokenName("oneday")),
                        org.mailadm.core.account.EmailAddress.parse("tmp.old" + i + "@example.org"),
                        java.time.Instant.now().minus(Duration.ofHours(1)));
            }
            mailcow.setHang(true);
            long start = System.nanoTime();
            MailadmServer server = HttpComponent.create(ServerHarness.testConfig(), java.time.Clock.systemUTC(), db)
                    .server()
                    .start();
            try {
                HttpResponse<String> health = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isIn(200, 503);
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as("settling waits on mailcow in the background, never before the first answer")
                        .isLessThan(ServerHarness.PROVIDER_TIMEOUT);
            } finally {
                mailcow.setHang(false);
                server.close();
            }
        }
    }
}
