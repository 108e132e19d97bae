package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.token.TokenName;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.TestTokens;

/** The web API contract of compat.md, one test per row of the mapping, on a real server. */
class HttpApiTest {
    static final String T = "1d_r84EW3N8hEKk";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    ServerHarness h;

    @BeforeEach
    void start() {
        h = new ServerHarness(
                dir,
                TestTokens.aToken().withMaxUse(5).build(),
                TestTokens.aToken()
                        .named("used")
                        .withSecret("used_up")
                        .withMaxUse(0)
                        .build());
    }

    @AfterEach
    void stop() {
        h.close();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    static void assertError(HttpResponse<String> r, int status, String reason) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        JsonNode j = json(r);
        assertThat(j.get("type").asText()).isEqualTo("error");
        assertThat(j.get("status_code").asInt()).isEqualTo(status);
        assertThat(j.get("reason").asText()).isEqualTo(reason);
    }

    @Test
    void validToken_createsAccount_answersTheOriginalJson() throws Exception {
        HttpResponse<String> r = h.post("/new_email?t=" + T + "&n=oneday");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode j = json(r);
        String email = j.get("email").asText();
        assertThat(email).matches("tmp\\.[2345789acdefghjkmnpqrstuvwxyz]{5}@example\\.org");
        assertThat(j.get("expiry").asText()).isEqualTo("1d");
        assertThat(j.get("ttl").asLong()).isEqualTo(86400);
        assertThat(j.get("status_code").asInt()).isEqualTo(200);
        assertThat(h.mailcow.passwordOf(email)).isEqualTo(j.get("password").asText());
        assertThat(h.mailcow.usernamesTagged("mailadm:oneday")).containsExactly(email);
        assertThat(h.storage.listAccounts()).singleElement().satisfies(a -> {
            assertThat(a.address().toString()).isEqualTo(email);
            assertThat(a.state()).isEqualTo(AccountState.ACTIVE);
        });
    }

    @Test
    void rootAndTrailingSlashPaths_work_bodyIgnored() throws Exception {
        assertThat(h.post("/?t=" + T).statusCode()).isEqualTo(200);
        assertThat(h.post("/new_email/?t=" + T).statusCode()).isEqualTo(200);
        var r = h.client.send(
                java.net.http.HttpRequest.newBuilder(h.url("/new_email?t=" + T))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("some body"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void absoluteFormRequestWithoutContentLength_asDeltaChatSendsIt() throws Exception {
        String answer = h.raw("POST https://_dcaccount.localhost/new_email?t=" + T + "&n=oneday HTTP/1.1\r\n"
                + "host: _dcaccount.localhost\r\nconnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 200");
        assertThat(answer).contains("\"email\":\"tmp.");
    }

    @Test
    void missingOrEmptyToken_403() throws Exception {
        assertError(h.post("/new_email"), 403, "?t (token) parameter not specified");
        assertError(h.post("/new_email?t="), 403, "?t (token) parameter not specified");
        assertError(h.post("/new_email?n=oneday"), 403, "?t (token) parameter not specified");
    }

    @Test
    void invalidToken_403_echoesOnlyAShortSanitisedValue() throws Exception {
        assertError(h.post("/new_email?t=nosuch"), 403, "token nosuch is invalid");
        HttpResponse<String> r = h.post("/new_email?t=" + "x".repeat(100_000));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("reason").asText()).isEqualTo("token " + "x".repeat(24) + "... is invalid");
        assertError(h.post("/new_email?t=%3Cscript%3E%00%01"), 403, "token ?script??? is invalid");
        assertThat(h.storage.listAccounts()).isEmpty();
    }

    @Test
    void malformedOrDuplicateToken_400() throws Exception {
        // Undertow's request parser refuses malformed escapes itself (a bare 400, see docs/http-api.md).
        String raw = h.raw("POST /new_email?t=%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(raw).startsWith("HTTP/1.1 400").doesNotContain("Exception");
        assertError(h.post("/new_email?t=%ff%fe"), 400, "the query string is not valid URL encoding");
        assertError(h.post("/new_email?t=" + T + "&t=other"), 400, "?t (token) parameter given more than once");
        assertThat(h.storage.listAccounts()).isEmpty();
    }

    @Test
    void exhaustedToken_403_withAReasonAPersonUnderstands() throws Exception {
        HttpResponse<String> r = h.post("/new_email?t=used_up");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(json(r).get("reason").asText()).contains("used up").contains("ask whoever gave it to you");
    }

    @Test
    void addressTakenTenTimesAtMailcow_409() throws Exception {
        String exists = "[{\"type\":\"danger\",\"log\":[],\"msg\":[\"object_exists\",\"x@example.org\"]}]";
        h.mailcow.failNext(10, new FakeMailcowServer.Fault.Status(200, exists));
        assertError(h.post("/new_email?t=" + T), 409, "user already exists in mailcow");
        assertThat(h.storage.findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isZero();
    }

    @Test
    void mailcowTimesOut_504_withinTimeoutPlusOneSecond() throws Exception {
        h.mailcow.failNext(1, new FakeMailcowServer.Fault.Stall(Duration.ofSeconds(5)));
        long start = System.nanoTime();
        assertError(h.post("/new_email?t=" + T), 504, "mailcow not reachable");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isLessThan(ServerHarness.PROVIDER_TIMEOUT.plusSeconds(1));
    }

    @Test
    void mailcowDown_504() throws Exception {
        h.mailcow.close();
        assertError(h.post("/new_email?t=" + T), 504, "mailcow not reachable");
        assertThat(h.storage.listAccounts()).isEmpty();
        assertThat(h.storage.findToken(new TokenName("oneday")).orElseThrow().useCount())
                .isZero();
    }

    @Test
    void mailcowErrorOrGarbage_500_withoutDetails() throws Exception {
        h.mailcow.failNext(1, new FakeMailcowServer.Fault.Status(500, "<html>PDOException at /web/inc/x.php</html>"));
        assertError(h.post("/new_email?t=" + T), 500, "internal server error");
        h.mailcow.failNext(1, new FakeMailcowServer.Fault.Garbage());
        assertError(h.post("/new_email?t=" + T), 500, "internal server error");
    }

    @Test
    void mailcowRefusesTheKey_503_pausedForTheCooldown_andNoSecretLeaks() throws Exception {
        h.mailcow.removeKey(FakeMailcowServer.RW_KEY);
        HttpResponse<String> r = h.post("/new_email?t=" + T);
        assertError(r, 503, "the server cannot create accounts right now; try again in 5 minutes");
        assertThat(r.headers().firstValue("Retry-After")).contains("300");
        assertThat(r.body()).doesNotContain(FakeMailcowServer.RW_KEY);
        assertThat(h.storage.listAccounts()).as("the use is given back").isEmpty();
    }

    @Test
    void wrongMethods_405_withAllow() throws Exception {
        for (String m : new String[] {"PUT", "DELETE", "PATCH", "OPTIONS"}) {
            HttpResponse<String> r = h.send(m, "/new_email?t=" + T);
            assertThat(r.statusCode()).as(m).isEqualTo(405);
            assertThat(r.headers().firstValue("Allow")).contains("POST, GET, HEAD");
            assertThat(json(r).get("reason").asText()).contains("not allowed");
        }
        assertThat(h.storage.listAccounts()).isEmpty();
    }

    @Test
    void oddPaths_404_json() throws Exception {
        for (String p :
                new String[] {"/new_emailx?t=" + T, "/nope", "/new_email/extra", "/%2e%2e/%2e%2e/etc/passwd", "/%00"}) {
            HttpResponse<String> r = h.post(p);
            assertThat(r.statusCode()).as(p).isIn(400, 404);
            if (r.statusCode() == 404) {
                assertThat(json(r).get("type").asText()).isEqualTo("error");
            }
        }
        assertThat(h.storage.listAccounts()).isEmpty();
    }

    @Test
    void hugeBody_413() throws Exception {
        var r = h.client.send(
                java.net.http.HttpRequest.newBuilder(h.url("/new_email?t=" + T))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x".repeat(1_000_000)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertError(r, 413, "request body too large; this endpoint expects an empty body");
        assertThat(h.storage.listAccounts()).isEmpty();
    }

    @Test
    void hugeBodyRepeated_alwaysAnswers413() throws Exception {
        // The answer must reach the client every time, not only when the kernel is kind (a reset on
        // close with unread bytes used to eat it now and then).
        for (int i = 0; i < 20; i++) {
            var r = h.client.send(
                    java.net.http.HttpRequest.newBuilder(h.url("/new_email?t=" + T))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("x".repeat(900_000)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("attempt %d", i).isEqualTo(413);
        }
        assertThat(h.storage.listAccounts()).isEmpty();
    }

    @Test
    void enormousBody_refusedWithoutHarm() throws Exception {
        try {
            var r = h.client.send(
                    java.net.http.HttpRequest.newBuilder(h.url("/new_email?t=" + T))
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(new byte[20_000_000]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(413);
        } catch (java.io.IOException closed) {
            // Over the drain limit the server may close before the client has sent everything.
        }
        assertThat(h.storage.listAccounts()).isEmpty();
        assertThat(h.post("/new_email?t=" + T).statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void headerFlood_refusedWithoutHarm() throws Exception {
        StringBuilder req = new StringBuilder("POST /new_email?t=" + T + " HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 500; i++) {
            req.append("X-Flood-")
                    .append(i)
                    .append(": ")
                    .append("y".repeat(100))
                    .append("\r\n");
        }
        req.append("Connection: close\r\n\r\n");
        String answer = h.raw(req.toString());
        assertThat(answer).doesNotStartWith("HTTP/1.1 200").doesNotContain("Exception");
        assertThat(h.storage.listAccounts()).isEmpty();
        assertThat(h.post("/new_email?t=" + T).statusCode()).as("still serving").isEqualTo(200);
    }

    @Test
    void browserGet_showsAPageWithQrAndLink() throws Exception {
        HttpResponse<String> r = h.send("GET", "/new_email?t=" + T + "&n=oneday");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
        assertThat(r.body())
                .contains("Delta Chat")
                .contains("href=\"DCACCOUNT:https://mailadm.example.org/new_email?t=" + T + "&amp;n=oneday\"")
                .contains("data:image/png;base64,")
                .contains("tmp.xxxxx@example.org");
        HttpResponse<String> bad = h.send("GET", "/new_email?t=%3Cscript%3E");
        assertThat(bad.statusCode()).isEqualTo(403);
        assertThat(bad.body()).contains("not valid").doesNotContain("<script>");
        assertThat(h.storage.listAccounts()).as("GET never creates").isEmpty();
    }

    @Test
    void health_reportsStorageAndMailcow() throws Exception {
        HttpResponse<String> ok = h.send("GET", "/health");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(json(ok).get("mailcow").asText()).isEqualTo("ok");
        assertThat(json(ok).get("storage").asText()).isEqualTo("ok");
    }

    @Test
    void health_failingAtOnceAfterACreationFoundMailcowDown() throws Exception {
        assertThat(h.send("GET", "/health").statusCode()).isEqualTo(200);
        h.mailcow.close();
        assertThat(h.post("/new_email?t=" + T).statusCode()).isEqualTo(504);
        HttpResponse<String> r = h.send("GET", "/health");
        assertThat(r.statusCode())
                .as("no lag: the creation's 504 is health's news")
                .isEqualTo(503);
        assertThat(json(r).get("mailcow").asText()).startsWith("failing: cannot connect to mailcow");
    }

    @Test
    void metrics_countOutcomesTokensAndProviderLatency() throws Exception {
        h.post("/new_email?t=" + T);
        h.post("/new_email?t=nosuch");
        h.post("/new_email?t=used_up");
        String m = h.send("GET", "/metrics").body();
        assertThat(m).contains("mailadm_requests_total{outcome=\"created\"} 1.0");
        assertThat(m).contains("mailadm_requests_total{outcome=\"token_invalid\"} 1.0");
        assertThat(m).contains("mailadm_token_events_total{event=\"created\",reason=\"none\",token=\"oneday\"} 1.0");
        assertThat(m).contains("mailadm_token_events_total{event=\"refused\",reason=\"exhausted\",token=\"used\"} 1.0");
        assertThat(m).contains("mailadm_provider_seconds_bucket{operation=\"create\"");
        assertThat(m).doesNotContain(T);
    }
}
