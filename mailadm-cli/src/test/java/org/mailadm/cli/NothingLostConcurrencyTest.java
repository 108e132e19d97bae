package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.account.AccountState;
import org.mailadm.core.audit.AuditEvent;
import org.mailadm.core.token.TokenName;
import org.mailadm.http.HttpComponent;
import org.mailadm.http.MailadmServer;
import org.mailadm.http.RateLimit;
import org.mailadm.http.ServerConfig;
import org.mailadm.sqlite.SqliteStorage;

/**
 * The server creates accounts for 16 clients while {@code reconcile --fix} and {@code prune} run in
 * loops, as cron and an operator would: afterwards the database and mailcow agree, use counts match,
 * every account a client received lives, and nothing live was forgotten.
 *
 * <p>Before issue 11, reconcile listed mailcow first and read the rows afterwards: every account
 * created in between looked gone, and its row was deleted while its user held the password.
 */
class NothingLostConcurrencyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ONEDAY = "1d_r84EW3N8hEKk";
    private static final String SHORT = "60s_shortshortsh";

    @TempDir
    Path dir;

    @Test
    void creationsWhileReconcileAndPruneLoop_databaseEqualsMailcow() throws Exception {
        try (CliHarness cli = new CliHarness(dir).initialized()) {
            cli.ok("add-token", "oneday", "--token", ONEDAY, "--maxuse", "1000");
            cli.ok("add-token", "short", "--token", SHORT, "--expiry", "60s", "--maxuse", "1000", "--prefix", "s.");
            cli.clock.set(Instant.now());
            cli.mailcow.setLatency(Duration.ofMillis(5));
            ServerConfig config = ServerConfig.defaults()
                    .withPort(0)
                    .withBindAddress("127.0.0.1")
                    .withLimits(RateLimit.OFF, RateLimit.OFF);
            MailadmServer server = HttpComponent.create(config, Clock.systemUTC(), cli.db)
                    .server()
                    .start();
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            Map<String, String> received = new ConcurrentHashMap<>();
            AtomicBoolean creating = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(18);
            try {
                Future<Integer> reconciles = pool.submit(() -> loop(cli, creating, "reconcile", "--fix"));
                Future<Integer> prunes = pool.submit(() -> loop(cli, creating, "prune"));
                List<Future<?>> clients = new ArrayList<>();
                for (int c = 0; c < 16; c++) {
                    int id = c;
                    clients.add(pool.submit(() -> {
                        for (int i = 0; i < 20; i++) {
                            String secret = (id + i) % 2 == 0 ? ONEDAY : SHORT;
                            HttpResponse<String> r = client.send(
                                    HttpRequest.newBuilder(URI.create(
                                                    "http://127.0.0.1:" + server.port() + "/new_email?t=" + secret))
                                            .POST(HttpRequest.BodyPublishers.noBody())
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
                            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                            JsonNode j = JSON.readTree(r.body());
                            received.put(
                                    j.get("email").asText(), j.get("password").asText());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : clients) {
                    f.get(120, TimeUnit.SECONDS);
                }
                creating.set(false);
                assertThat(reconciles.get(60, TimeUnit.SECONDS))
                        .as("reconcile runs")
                        .isPositive();
                assertThat(prunes.get(60, TimeUnit.SECONDS)).as("prune runs").isPositive();
            } finally {
                creating.set(false);
                pool.shutdownNow();
                server.close();
            }
            // an hour later the accounts of 'short' are due: prune them while reconcile runs too
            cli.clock.advance(Duration.ofHours(1));
            var lastPrune = java.util.concurrent.CompletableFuture.supplyAsync(() -> cli.run("prune"));
            cli.ok("reconcile", "--fix");
            assertThat(lastPrune.get(60, TimeUnit.SECONDS).code()).isZero();
            assertThat(cli.mailcow.usernamesTagged("mailadm:short")).isEmpty();

            try (SqliteStorage storage = SqliteStorage.open(cli.db, Clock.systemUTC())) {
                assertThat(storage.listAccounts(AccountState.PENDING)).isEmpty();
                List<AuditEvent> audit = storage.audit(Optional.empty(), Optional.empty(), 100_000);
                for (String token : List.of("oneday", "short")) {
                    Set<String> rows = storage.listAccounts(new TokenName(token)).stream()
                            .map(a -> a.address().toString())
                            .collect(Collectors.toSet());
                    assertThat(rows)
                            .as("rows of %s equal its mailboxes", token)
                            .isEqualTo(Set.copyOf(cli.mailcow.usernamesTagged("mailadm:" + token)));
                    long removed = audit.stream()
                            .filter(e ->
                                    e.token().map(TokenName::value).orElse("").equals(token))
                            .filter(e -> e.action() == org.mailadm.core.audit.AuditAction.ACCOUNT_PRUNED
                                    || e.action() == org.mailadm.core.audit.AuditAction.ACCOUNT_FORGOTTEN)
                            .filter(e -> e.outcome().succeeded())
                            .count();
                    assertThat(storage.findToken(new TokenName(token))
                                    .orElseThrow()
                                    .useCount())
                            .as("use count of %s = rows + accounts removed since", token)
                            .isEqualTo(rows.size() + removed);
                }
                assertThat(audit)
                        .filteredOn(e -> e.action() == org.mailadm.core.audit.AuditAction.ACCOUNT_FORGOTTEN)
                        .as("nothing forgotten while its mailbox lives")
                        .allSatisfy(e ->
                                assertThat(cli.mailcow.hasMailbox(e.object())).isFalse());
                assertThat(audit)
                        .filteredOn(e -> e.action() == org.mailadm.core.audit.AuditAction.ACCOUNT_FORGOTTEN)
                        .as("and no account of the long-lived token forgotten at all")
                        .noneMatch(
                                e -> e.token().map(TokenName::value).orElse("").equals("oneday"));
                received.forEach((email, pw) -> {
                    if (email.startsWith("tmp.")) {
                        assertThat(cli.mailcow.passwordOf(email))
                                .as("%s lives", email)
                                .isEqualTo(pw);
                    }
                });
                assertThat(received).hasSize(320);
            }
        }
    }

    /** Runs a command again and again while creations go on; each run must succeed. */
    private static int loop(CliHarness cli, AtomicBoolean creating, String... command) {
        int runs = 0;
        while (creating.get()) {
            CliHarness.Result r = cli.run(command);
            assertThat(r.err()).as(String.join(" ", command)).doesNotContain("error");
            runs++;
        }
        return runs;
    }
}
