package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.testing.TestTokens;

/** The web endpoint with issue 7's token settings: validity window, quota, audit, per-token metrics. */
class TokenPolicyHttpTest {
    @TempDir
    Path dir;

    ServerHarness h;

    @AfterEach
    void close() {
        h.close();
    }

    private ServerHarness serve(TokenPolicy policy) {
        h = new ServerHarness(dir, TestTokens.aToken().withPolicy(policy).build());
        return h;
    }

    private static String reason(HttpResponse<String> r) throws Exception {
        return new ObjectMapper().readTree(r.body()).get("reason").asText();
    }

    @Test
    void notYetValid_403SaysFromWhen() throws Exception {
        serve(TokenPolicy.NONE.withValidFrom(Optional.of(Instant.parse("2099-01-01T00:00:00Z"))));
        HttpResponse<String> r = h.post("/new_email?t=1d_r84EW3N8hEKk");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(reason(r)).isEqualTo("this invitation code is not valid yet: it works from 2099-01-01 00:00 (UTC)");
        assertThat(h.storage.listAccounts()).isEmpty();
        assertThat(h.mailcow.usernames()).isEmpty();
    }

    @Test
    void expired_403SaysUntilWhenAndWhatToDo() throws Exception {
        serve(TokenPolicy.NONE.withValidUntil(Optional.of(Instant.parse("2001-01-01T12:00:00Z"))));
        HttpResponse<String> r = h.post("/new_email?t=1d_r84EW3N8hEKk");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(reason(r))
                .isEqualTo("this invitation code has expired: it worked until 2001-01-01 12:00 (UTC);"
                        + " ask whoever gave it to you for a new one");
        assertThat(h.send("GET", "/metrics").body())
                .contains(
                        "mailadm_token_events_total{event=\"refused\",reason=\"token_expired\",token=\"oneday\"} 1.0");
    }

    @Test
    void creation_usesTheQuota_andIsAuditedWithTheClientAddress() throws Exception {
        serve(TokenPolicy.NONE.withQuotaMiB(500));
        HttpResponse<String> r = h.post("/new_email?t=1d_r84EW3N8hEKk");
        assertThat(r.statusCode()).isEqualTo(200);
        String email = new ObjectMapper().readTree(r.body()).get("email").asText();
        assertThat(h.mailcow.quotaMiBOf(email)).isEqualTo(500);
        List<AuditEvent> log = h.storage.audit(Optional.empty(), Optional.empty(), 10);
        assertThat(log).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("web:127.0.0.1");
            assertThat(e.action()).isEqualTo("account.created");
            assertThat(e.object()).isEqualTo(email);
            assertThat(e.token()).contains(new TokenName("oneday"));
        });
        assertThat(log.toString()).doesNotContain("1d_r84EW3N8hEKk");
    }

    @Test
    void metrics_countPrunedAccountsFromTheAuditLog() throws Exception {
        serve(TokenPolicy.NONE);
        h.storage.recordAudit(List.of(
                new AuditEvent(
                        Instant.EPOCH,
                        "cli:root",
                        "account.pruned",
                        "tmp.a@example.org",
                        Optional.of(new TokenName("oneday")),
                        "ok"),
                new AuditEvent(
                        Instant.EPOCH,
                        "cli:root",
                        "account.pruned",
                        "tmp.b@example.org",
                        Optional.of(new TokenName("oneday")),
                        "ok"),
                new AuditEvent(
                        Instant.EPOCH,
                        "cli:root",
                        "account.pruned",
                        "tmp.c@example.org",
                        Optional.of(new TokenName("oneday")),
                        "failed: access_denied")));
        assertThat(h.send("GET", "/metrics").body()).contains("mailadm_token_pruned{token=\"oneday\"} 2.0");
    }
}
