package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.token.TokenName;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.TestTokens;

class HttpConcurrencyTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    record Answer(int status, JsonNode body, Duration took, java.util.Optional<String> retryAfter) {}

    static Answer post(ServerHarness h, String token) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> r = h.client.send(
                HttpRequest.newBuilder(h.url("/new_email?t=" + token))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(
                r.statusCode(),
                JSON.readTree(r.body()),
                Duration.ofNanos(System.nanoTime() - start),
                r.headers().firstValue("Retry-After"));
    }

    @Test
    void sixtyFourClients_twoThousandAttempts_maxUse500_exactly500() throws Exception {
        try (ServerHarness h =
                new ServerHarness(dir, TestTokens.aToken().withMaxUse(500).build())) {
            ExecutorService pool = Executors.newFixedThreadPool(64);
            AtomicInteger attempts = new AtomicInteger();
            Map<String, String> created = new ConcurrentHashMap<>();
            AtomicInteger exhausted = new AtomicInteger();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < 64; c++) {
                futures.add(pool.submit(() -> {
                    while (attempts.incrementAndGet() <= 2000) {
                        Answer a = post(h, "1d_r84EW3N8hEKk");
                        if (a.status() == 200) {
                            created.put(
                                    a.body().get("email").asText(),
                                    a.body().get("password").asText());
                        } else {
                            assertThat(a.status()).isEqualTo(403);
                            assertThat(a.body().get("reason").asText()).contains("used up");
                            exhausted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(created).hasSize(500);
            assertThat(exhausted.get()).isEqualTo(1500);
            Consistency.assertAgree(h.storage, h.mailcow, "oneday");
            assertThat(h.mailcow.usernamesTagged("mailadm:oneday"))
                    .containsExactlyInAnyOrderElementsOf(created.keySet());
            created.forEach(
                    (email, pw) -> assertThat(h.mailcow.passwordOf(email)).isEqualTo(pw));
        }
    }

    @Test
    void mailcowFaults_everyClientGetsTheRightErrorInTime_andStateConverges() throws Exception {
        try (ServerHarness h = new ServerHarness(
                dir,
                // a third of the calls fail at random: about right for telling faults apart, too many for
                // the breaker, which would pause calls after five lost answers in a row (SickMailcowTest)
                ServerHarness.testConfig()
                        .withGuard(ServerConfig.Guard.DEFAULTS.withoutProbe().withUnreachableCalls(1000)),
                TestTokens.aToken().withMaxUse(10_000).build())) {
            String exists = "[{\"type\":\"danger\",\"log\":[],\"msg\":[\"object_exists\",\"x@example.org\"]}]";
            List<FakeMailcowServer.Fault> kinds = List.of(
                    new FakeMailcowServer.Fault.Stall(Duration.ofSeconds(3)),
                    new FakeMailcowServer.Fault.Status(500, "<html>Internal Server Error</html>"),
                    new FakeMailcowServer.Fault.Drop(),
                    new FakeMailcowServer.Fault.DropAfterApplying(),
                    new FakeMailcowServer.Fault.Garbage(),
                    new FakeMailcowServer.Fault.Status(200, exists));
            Random random = new Random(7);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 240; i++) {
                if (random.nextInt(3) == 0) {
                    h.mailcow.failNext(1, kinds.get(random.nextInt(kinds.size())));
                }
                answers.add(pool.submit(() -> post(h, "1d_r84EW3N8hEKk")));
            }
            Map<Integer, Integer> byStatus = new ConcurrentHashMap<>();
            for (Future<Answer> f : answers) {
                Answer a = f.get(60, TimeUnit.SECONDS);
                byStatus.merge(a.status(), 1, Integer::sum);
                assertThat(a.took())
                        .as("answered within the provider timeout + 1 s")
                        .isLessThan(ServerHarness.PROVIDER_TIMEOUT.plusSeconds(1));
                switch (a.status()) {
                    case 200 -> assertThat(a.body().get("email").asText()).endsWith("@example.org");
                    case 504 -> assertThat(a.body().get("reason").asText()).isEqualTo("mailcow not reachable");
                    case 500 -> assertThat(a.body().get("reason").asText()).isEqualTo("internal server error");
                    case 503 -> {
                        // held back, with the real wait: while the first call still has to show that mailcow
                        // takes the key (it met a fault), the others wait for it only briefly
                        assertThat(a.body().get("reason").asText())
                                .matches("(the mail server is not answering|too many accounts are being created right"
                                        + " now); try again in \\d+ seconds?");
                        assertThat(a.retryAfter()).isPresent();
                    }
                    default ->
                        assertThat(a.status())
                                .as("unexpected status %s: %s", a.status(), a.body())
                                .isIn(200, 500, 503, 504);
                }
            }
            pool.shutdown();
            assertThat(byStatus).containsKeys(200, 500, 504);
            h.server.close();
            // what the server would do at its next start (or its background run): settle what was left pending
            Consistency.settleOnceTheWindowHasPassed(h.storage);
            Consistency.assertAgree(h.storage, h.mailcow, "oneday");
            assertThat(h.storage
                            .findToken(new TokenName("oneday"))
                            .orElseThrow()
                            .useCount())
                    .isGreaterThanOrEqualTo(byStatus.get(200));
        }
    }

    @Test
    void whileStopping_newRequestsGetAReasonNotABare503() throws Exception {
        try (ServerHarness h = new ServerHarness(dir, TestTokens.aToken().build())) {
            h.mailcow.setHang(true); // the creation in flight waits on mailcow until we let it go
            var inFlight = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return post(h, "1d_r84EW3N8hEKk");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (h.mailcow.requests("add/mailbox") < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            var stopping = java.util.concurrent.CompletableFuture.runAsync(h.server::close);
            HttpResponse<String> r;
            do {
                r = HttpClient.newHttpClient()
                        .send(HttpRequest.newBuilder(h.url("/health")).build(), HttpResponse.BodyHandlers.ofString());
            } while (r.statusCode() == 200 && System.nanoTime() < deadline);
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(r.body()).get("reason").asText())
                    .isEqualTo("the server is restarting; try again in 10 seconds");
            assertThat(r.headers().firstValue("Retry-After")).contains("10");
            h.mailcow.setHang(false); // its connection is cut: the creation in flight answers 504 and ends
            assertThat(inFlight.get(10, TimeUnit.SECONDS).status())
                    .as("the one in flight is answered")
                    .isEqualTo(504);
            stopping.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void gracefulShutdown_finishesCreationsInFlight() throws Exception {
        try (ServerHarness h = new ServerHarness(dir, TestTokens.aToken().build())) {
            h.mailcow.setLatency(Duration.ofMillis(400));
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> post(h, "1d_r84EW3N8hEKk")));
            }
            // wait until all eight requests are inside mailcow, then shut down
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (h.mailcow.requests("add/mailbox") < 8 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            var health = h.url("/health");
            h.server.close();
            for (Future<Answer> f : answers) {
                assertThat(f.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            }
            pool.shutdown();
            Consistency.assertAgree(h.storage, h.mailcow, "oneday");
            assertThat(h.storage.listAccounts()).hasSize(8);
            HttpClient fresh = HttpClient.newHttpClient();
            org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                            fresh.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(java.io.IOException.class);
        }
    }
}
