package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.account.AccountRemoval;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.account.InFlightWindow;
import org.mailadm.core.account.Reconciler;
import org.mailadm.core.audit.Audit;
import org.mailadm.mailcow.MailcowMailProvider;
import org.mailadm.mailcow.MailcowOptions;
import org.mailadm.sqlite.SqliteStorage;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.TestTokens;

/** The server as its own process, killed with SIGKILL in the middle of 200 creations, then restarted. */
class HttpKillTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static void awaitHealthy(HttpClient client, int port, Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("server process alive").isTrue();
            try {
                HttpResponse<String> r = client.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                .timeout(Duration.ofSeconds(2))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            p.waitFor(100, TimeUnit.MILLISECONDS);
        }
        throw new AssertionError("server did not become healthy");
    }

    @Test
    void sigkillDuringCreations_pendingReportedThenSettled_nothingLost() throws Exception {
        try (FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
            Path db = dir.resolve("mailadm.db");
            SqliteStorage storage = ServerHarness.database(
                    db, mailcow, TestTokens.aToken().withMaxUse(1000).build());

            Path log = dir.resolve("server.log");
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Process server = ServerProcess.start(db, 0, log, Map.of("MAILCOW_TIMEOUT", "5"));
            int port = ServerProcess.awaitPort(server, log, 0);
            awaitHealthy(client, port, server);

            mailcow.setLatency(Duration.ofMillis(80));
            Map<String, String> created = new ConcurrentHashMap<>();
            List<CompletableFuture<Void>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(client.sendAsync(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:" + port + "/new_email?t=1d_r84EW3N8hEKk"))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .thenAccept(r -> {
                            if (r.statusCode() == 200) {
                                try {
                                    var j = JSON.readTree(r.body());
                                    created.put(
                                            j.get("email").asText(),
                                            j.get("password").asText());
                                } catch (IOException e) {
                                    throw new java.io.UncheckedIOException(e);
                                }
                            }
                        })
                        .exceptionally(e -> null));
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (mailcow.requests("add/mailbox") < 40 && System.nanoTime() < deadline) {
                server.waitFor(10, TimeUnit.MILLISECONDS);
            }
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(mailcow.awaitIdle(Duration.ofSeconds(30))).isTrue();
            int mailboxesAtKill = mailcow.usernamesTagged("mailadm:oneday").size();
            assertThat(mailboxesAtKill)
                    .as("the kill hit while creations were running")
                    .isBetween(1, 199);

            long before = Files.size(log);
            Process restarted = ServerProcess.start(db, 0, log, Map.of("MAILCOW_TIMEOUT", "5"));
            awaitHealthy(client, ServerProcess.awaitPort(restarted, log, before), restarted);
            restarted.destroy(); // SIGTERM: graceful
            assertThat(restarted.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Path wal = Path.of(db + "-wal");
            assertThat(!Files.exists(wal) || Files.size(wal) == 0)
                    .as("a clean stop folds the WAL into the database file")
                    .isTrue();

            // The interrupted creations are younger than the in-flight window: the restart left them
            // alone (a CLI add-user could have been one of them), and reconcile reports them.
            List<String> pending = storage.listAccounts(AccountState.PENDING).stream()
                    .map(a -> a.address().toString())
                    .toList();
            assertThat(pending).as("the kill interrupted creations").isNotEmpty();
            assertThat(Files.readString(log)).doesNotContain("start-up reconcile");
            try (MailcowMailProvider provider =
                    new MailcowMailProvider(storage.settings().orElseThrow(), MailcowOptions.DEFAULTS)) {
                Audit audit = new Audit(storage, Clock.systemUTC(), "cli:test");
                Reconciler.Report report = new Reconciler(
                                storage,
                                storage,
                                provider,
                                Clock.systemUTC(),
                                storage.settings().orElseThrow(),
                                InFlightWindow.forTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)),
                                new AccountRemoval(storage, provider, audit),
                                audit)
                        .check(false);
                assertThat(report.pending())
                        .extracting(p -> p.account().address().toString())
                        .containsExactlyInAnyOrderElementsOf(pending);
                assertThat(report.pending()).allMatch(Reconciler.Pending::inFlight);
            }

            // Once the window has passed, settling leaves no account that nobody can use.
            Consistency.settleOnceTheWindowHasPassed(storage);
            Consistency.assertAgree(storage, mailcow, "oneday");
            created.forEach((email, pw) -> assertThat(mailcow.passwordOf(email))
                    .as("every account whose credentials a client received lives on")
                    .isEqualTo(pw));
            // A SIGKILL between the confirming commit and the answer leaves an account whose client never
            // read it: no process is left to notice. At most the creations in flight (64 workers) can be.
            assertThat(mailcow.usernamesTagged("mailadm:oneday").size()).isBetween(created.size(), created.size() + 64);
            assertThat(Files.readString(log)).doesNotContain("Exception");
        }
    }
}
