package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.account.AccountRemoval;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.account.InFlightWindow;
import org.mailadm.core.account.PruneReport;
import org.mailadm.core.account.Pruner;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.config.Settings;
import org.mailadm.core.token.TokenName;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.mailcow.MailcowMailProvider;
import org.mailadm.mailcow.MailcowOptions;
import org.mailadm.testing.MutableClock;
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
            assertThat(e.action()).isEqualTo(org.mailadm.core.audit.AuditAction.ACCOUNT_CREATED);
            assertThat(e.object()).isEqualTo(email);
            assertThat(e.token()).contains(new TokenName("oneday"));
        });
        assertThat(log.toString()).doesNotContain("1d_r84EW3N8hEKk");
    }

    /** The gauge reads what prune writes: accounts it pruned count, one an admin deleted does not. */
    @Test
    void metrics_countWhatPruneWrites() throws Exception {
        serve(TokenPolicy.NONE);
        List<String> created = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> r = h.post("/new_email?t=1d_r84EW3N8hEKk");
            assertThat(r.statusCode()).isEqualTo(200);
            created.add(new ObjectMapper().readTree(r.body()).get("email").asText());
        }
        assertThat(h.send("GET", "/metrics").body()).doesNotContain("mailadm_token_pruned{");
        MutableClock later = new MutableClock(Instant.now().plus(Duration.ofDays(2)));
        Settings settings = h.storage.settings().orElseThrow();
        try (MailcowMailProvider provider = new MailcowMailProvider(settings, MailcowOptions.DEFAULTS)) {
            Audit audit = new Audit(h.storage, later, "cli:test");
            AccountRemoval removal = new AccountRemoval(h.storage, provider, audit);
            assertThat(removal.delete(EmailAddress.parse(created.get(0))))
                    .isInstanceOf(AccountRemoval.DeleteAccountResult.Deleted.class);
            PruneReport report = new Pruner(
                            h.storage,
                            h.storage,
                            h.storage,
                            provider,
                            removal,
                            later,
                            audit,
                            settings,
                            InFlightWindow.forTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)))
                    .prune(false);
            assertThat(report.deleted()).hasSize(2);
        }
        assertThat(h.send("GET", "/metrics").body()).contains("mailadm_token_pruned{token=\"oneday\"} 2.0");
    }
}
