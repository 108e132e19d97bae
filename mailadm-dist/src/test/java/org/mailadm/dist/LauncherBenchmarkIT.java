package org.mailadm.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.BenchAccounts;
import org.mailadm.testing.FakeMailcowServer;

/**
 * The CLI figures of issue 4, measured as an operator gets them: {@code bin/mailadm} of the built
 * distribution (shell launcher, the JDK it finds, its trained class-data archive), each command a
 * process of its own, against the fake mailcow and a real SQLite file. Run with {@code ./mvnw
 * -Pbench-launcher -pl mailadm-dist -am verify}; prints {@code BENCH} lines.
 */
@Tag("benchmark")
class LauncherBenchmarkIT {
    private static final Duration LIMIT = Duration.ofMinutes(5);

    @TempDir
    Path work;

    private final Path home = Path.of(System.getProperty("mailadm.dist"));

    private Map<String, String> env(Path db) {
        Map<String, String> env = new HashMap<>();
        env.put("MAILADM_DB", db.toString());
        env.put("MAILADM_CACHE", work.resolve("cache").toString());
        return env;
    }

    /** Runs {@code bin/mailadm ARGS} to its end; returns the seconds it took. */
    private double mailadm(Map<String, String> env, String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = home.resolve("bin/mailadm").toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        long start = System.nanoTime();
        Proc.Result r = Proc.run(work, env, LIMIT, cmd);
        double took = (System.nanoTime() - start) / 1e9;
        assertThat(r.code()).as(String.join(" ", args) + ":\n" + tail(r.out())).isZero();
        return took;
    }

    private static String tail(String out) {
        return out.length() < 2000 ? out : out.substring(out.length() - 2000);
    }

    /** Runs {@code java ARGS} (the JDK running the benchmark) to its end; returns the seconds it took. */
    private double java(String... args) throws Exception {
        String[] cmd = new String[args.length + 1];
        cmd[0] = ProcessHandle.current().info().command().orElse("java");
        System.arraycopy(args, 0, cmd, 1, args.length);
        long start = System.nanoTime();
        assertThat(Proc.run(work, Map.of(), LIMIT, cmd).code()).isZero();
        return (System.nanoTime() - start) / 1e9;
    }

    /** Median and spread of {@code runs} runs of a timed action. */
    private static String median(int runs, Callable<Double> secondsOfOneRun) throws Exception {
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            t[i] = secondsOfOneRun.call();
        }
        Arrays.sort(t);
        return String.format("median %.3f s (min %.3f, max %.3f, %d runs)", t[runs / 2], t[0], t[runs - 1], runs);
    }

    private Path database(FakeMailcowServer mailcow, String name, int accounts, long createdEpoch) throws Exception {
        Path db = work.resolve(name + ".db");
        Map<String, String> env = env(db);
        mailadm(env, Accounts.initArgs(mailcow));
        mailadm(env, "add-token", "bench", "--prefix", "tmp.", "--expiry", "1d", "--maxuse", "1000000");
        mailadm(env, "add-token", "oneweek", "--prefix", "tmpw.", "--expiry", "1w");
        mailadm(env, "add-token", "forever", "--prefix", "", "--expiry", "never");
        try (Connection c = org.sqlite.JDBC.createConnection("jdbc:sqlite:" + db, new Properties())) {
            BenchAccounts.insertRows(c, accounts, createdEpoch);
        }
        BenchAccounts.putMailboxes(mailcow, accounts);
        return db;
    }

    /** The fake mailcow is a stand-in: measure mailadm, not the fake's own JIT warm-up. */
    private static void warm(FakeMailcowServer mailcow) throws Exception {
        HttpClient c = HttpClient.newHttpClient();
        for (int i = 0; i < 3; i++) {
            c.send(
                    HttpRequest.newBuilder(URI.create(mailcow.endpoint() + "get/mailbox/all"))
                            .header("X-API-Key", FakeMailcowServer.RW_KEY)
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        }
    }

    /**
     * The server as bin/mailadm-server starts it (bundled runtime, the launcher's server options, its
     * trained archive): time from the process start to its first answer, and its memory then.
     */
    @Test
    void serverStart() throws Exception {
        try (FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
            Path db = work.resolve("server.db");
            Map<String, String> env = env(db);
            mailadm(env, Accounts.initArgs(mailcow));
            env.put("MAILADM_TRAIN", "foreground");
            Proc.Result trained = Proc.run(
                    work, env, LIMIT, home.resolve("bin/mailadm-server").toString(), "--version");
            assertThat(trained.code()).as(trained.out()).isZero();
            env.remove("MAILADM_TRAIN");
            env.put("MAILADM_BIND", "127.0.0.1");
            env.put("MAILADM_PORT", "0");
            double[] ms = new double[5];
            long rssKb = 0;
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < ms.length; i++) {
                long start = System.nanoTime();
                try (Proc server = Proc.start(
                        work, env, List.of(home.resolve("bin/mailadm-server").toString()))) {
                    int port = Proc.listeningPort(server.awaitLine(l -> l.contains("mailadm listening"), LIMIT));
                    http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    ms[i] = (System.nanoTime() - start) / 1e6;
                    rssKb = server.rssKb();
                    server.stop(LIMIT);
                }
            }
            Arrays.sort(ms);
            System.out.printf(
                    "BENCH server start to first answer (bin/mailadm-server, trained archive): median %.0f ms"
                            + " (min %.0f, max %.0f, 5 runs); RSS then %d MB%n",
                    ms[2], ms[0], ms[4], rssKb / 1024);
        }
    }

    @Test
    void commandFigures() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        // A yardstick for this machine at this moment (a shared VM's speed varies): an empty JVM.
        System.out.println("BENCH yardstick, `java -version` of the JDK running the benchmark: "
                + median(10, () -> java("-version")));
        // Each role's class-data archive, trained as install.sh does (in the background otherwise).
        Map<String, String> none = env(work.resolve("none.db"));
        none.put("MAILADM_TRAIN", "foreground");
        System.out.printf("BENCH training the local archive (install.sh): %.1f s%n", mailadm(none, "--version"));
        System.out.printf(
                "BENCH training the mailcow archive (install.sh): %.1f s%n", mailadm(none, "list-users", "--help"));
        none.remove("MAILADM_TRAIN");
        try (FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
            Path small = database(mailcow, "small", 0, now);
            System.out.println(
                    "BENCH list-tokens, small database: " + median(10, () -> mailadm(env(small), "list-tokens")));
        }
        for (int n : new int[] {20_000, 100_000}) {
            try (FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
                Path db = database(mailcow, "n" + n, n, now);
                warm(mailcow);
                System.out.printf(
                        "BENCH list-users, %,d accounts: %s%n",
                        n, median(n > 20_000 ? 3 : 5, () -> mailadm(env(db), "list-users")));
            }
        }
        try (FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
            int n = 100_000;
            Path db = database(mailcow, "prune", n, now - 7 * 86_400);
            warm(mailcow);
            int before = mailcow.totalRequests();
            double took = mailadm(env(db), "prune");
            int requests = mailcow.totalRequests() - before;
            assertThat(mailcow.usernames()).isEmpty();
            System.out.printf("BENCH prune, %,d expired accounts: %.2f s, %d mailcow requests%n", n, took, requests);
        }
    }
}
