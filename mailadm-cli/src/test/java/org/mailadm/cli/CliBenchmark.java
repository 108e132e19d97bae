package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.sqlite.SqliteStorage;
import org.mailadm.testing.BenchAccounts;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.MutableClock;
import org.mailadm.testing.TestTokens;

/**
 * Benchmarks of the CLI against a real SQLite file and the fake mailcow. Not part of the normal test
 * run; run with {@code ./mvnw -Pbench -pl mailadm-cli -am verify}. Prints its figures.
 */
@Tag("benchmark")
class CliBenchmark {
    @TempDir
    Path dir;

    private static final long NOW = MutableClock.atFixedStart().instant().getEpochSecond();

    private CliHarness setUp(int accounts, long createdEpoch) throws Exception {
        CliHarness cli = new CliHarness(Files.createDirectories(dir.resolve("n" + accounts)));
        SqliteStorage storage = SqliteStorage.open(cli.db, cli.clock);
        storage.saveSettings(new Settings(
                "example.org",
                java.net.URI.create("https://mailadm.example.org/new_email"),
                cli.mailcow.endpoint(),
                new ApiKey(FakeMailcowServer.RW_KEY)));
        storage.insertToken(TestTokens.aToken()
                .named(BenchAccounts.TOKEN)
                .withMaxUse(1_000_000)
                .withUseCount(accounts)
                .build());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + cli.db)) {
            BenchAccounts.insertRows(c, accounts, createdEpoch);
        }
        BenchAccounts.putMailboxes(cli.mailcow, accounts);
        return cli;
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Runs {@code mailadm ARGS} as its own JVM, as an operator would; returns seconds. */
    private static double process(CliHarness cli, Path out, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC"));
        cmd.add("-XX:TieredStopAtLevel=1"); // as bin/mailadm does, see lib/launcher.sh
        String jfr = System.getenv("MAILADM_BENCH_JFR");
        if (jfr != null) {
            cmd.add("-XX:StartFlightRecording=filename=" + jfr + "-" + args[0] + ".jfr,settings=profile");
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Cli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("MAILADM_DB", cli.db.toString());
        long start = System.nanoTime();
        int code = pb.start().waitFor();
        double took = seconds(start);
        assertThat(code).isZero();
        return took;
    }

    private static void warm(CliHarness cli) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
            c.send(
                    HttpRequest.newBuilder(URI.create(cli.mailcow.endpoint() + "get/mailbox/all"))
                            .header("X-API-Key", FakeMailcowServer.RW_KEY)
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    @Test
    void listUsers_20000_and_100000() throws Exception {
        for (int n : new int[] {20_000, 100_000}) {
            try (CliHarness cli = setUp(n, NOW)) {
                warm(cli); // the fake mailcow is a stand-in: measure mailadm, not the fake's JIT warm-up
                Path out = cli.dir.resolve("out.txt");
                double[] runs = new double[3];
                for (int i = 0; i < runs.length; i++) {
                    runs[i] = process(cli, out, "list-users");
                }
                Arrays.sort(runs);
                assertThat(Files.lines(out).count()).isEqualTo(n);
                long start = System.nanoTime();
                cli.run("list-users");
                double inProcess = seconds(start);
                System.out.printf(
                        "BENCH list-users %,d accounts: %.2f s whole process (median of 3: %.2f %.2f %.2f),"
                                + " %.2f s in-process after warm-up%n",
                        n, runs[1], runs[0], runs[1], runs[2], inProcess);
            }
        }
    }

    @Test
    void prune_100000_expired() throws Exception {
        int n = 100_000;
        try (CliHarness cli = setUp(n, NOW - 7 * 86_400)) {
            warm(cli);
            int before = cli.mailcow.totalRequests();
            Path out = cli.dir.resolve("prune.txt");
            double took = process(cli, out, "prune");
            int requests = cli.mailcow.totalRequests() - before;
            assertThat(Files.readString(out)).endsWith("pruned " + n + " accounts\n");
            assertThat(cli.mailcow.usernames()).isEmpty();
            assertThat(cli.ok("list-users")).isEmpty();
            System.out.printf(
                    "BENCH prune %,d expired accounts: %.2f s whole process, %d mailcow requests%n", n, took, requests);
        }
    }
}
