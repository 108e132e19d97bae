package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.sqlite.SqliteStorage;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.TestTokens;

/**
 * Throughput of account creation: the server as its own process (as deployed), the fake mailcow
 * with a set latency, 16 clients. Run with {@code ./mvnw -Pbench -pl mailadm-http -am verify}.
 */
@Tag("benchmark")
class ServerBenchmark {
    @TempDir
    Path dir;

    record Run(double perSecond, double p50ms, double p99ms, int created) {}

    /**
     * Drives the server with keep-alive connections over plain sockets: a load generator as light
     * as wrk, so that the two shared cores go to the server and the fake mailcow rather than to the
     * JDK HTTP client's machinery.
     */
    private Run load(URI url, int clients, int total) throws Exception {
        byte[] request = ("POST " + url.getRawPath() + "?" + url.getRawQuery() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger next = new AtomicInteger();
        long[] latencies = new long[total];
        AtomicInteger ok = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                try (Socket socket = new Socket(url.getHost(), url.getPort())) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
                    int i;
                    while ((i = next.getAndIncrement()) < total) {
                        long t = System.nanoTime();
                        out.write(request);
                        out.flush();
                        if (readResponse(in) == 200) {
                            ok.incrementAndGet();
                        }
                        latencies[i] = System.nanoTime() - t;
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get(10, TimeUnit.MINUTES);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        return new Run(total / seconds, latencies[total / 2] / 1e6, latencies[(int) (total * 0.99)] / 1e6, ok.get());
    }

    /** Reads one HTTP/1.1 response (status line, headers, Content-Length body); returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int status = -1;
        int length = 0;
        while (true) {
            line.setLength(0);
            int ch;
            while ((ch = in.read()) != '\n') {
                if (ch < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (ch != '\r') {
                    line.append((char) ch);
                }
            }
            if (line.isEmpty()) {
                break;
            }
            String l = line.toString();
            if (status < 0) {
                status = Integer.parseInt(l.substring(9, 12));
            } else if (l.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(l.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return status;
    }

    /** The memory options lib/launcher.sh gives the server (see docs/benchmarks.md, "Server"). */
    static final String SERVER_FLAGS =
            "-XX:+UseSerialGC -Xmx96m -XX:ReservedCodeCacheSize=48m -Xss512k -XX:TieredStopAtLevel=1";

    private Process server(Path db, Path log) throws IOException {
        String jfr = System.getenv("MAILADM_BENCH_JFR");
        // The server's JVM options: the launcher's for the server (lib/launcher.sh), or others to compare.
        List<String> flags = new ArrayList<>(List.of(System.getenv()
                .getOrDefault("MAILADM_BENCH_FLAGS", SERVER_FLAGS)
                .split(" ")));
        if (jfr != null) {
            flags.add("-XX:StartFlightRecording=filename=" + jfr + "-" + log.getFileName() + ".jfr,settings=profile");
        }
        return ServerProcess.start(
                db,
                0,
                log,
                Map.of("MALLOC_ARENA_MAX", System.getenv().getOrDefault("MAILADM_BENCH_ARENAS", "2")),
                flags.toArray(String[]::new));
    }

    private static long peakRssKb(Process p) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    @Test
    void throughput() throws Exception {
        assertThat(Files.readString(
                        Path.of("").toAbsolutePath().getParent().resolve("mailadm-dist/src/main/dist/lib/launcher.sh")))
                .as("the launcher gives the server the options measured here")
                .contains(SERVER_FLAGS.replace("-XX:+UseSerialGC ", ""));
        for (long latencyMs : new long[] {80, 0}) {
            try (FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
                Path db = dir.resolve("bench-" + latencyMs + ".db");
                SqliteStorage storage = ServerHarness.database(
                        db, mailcow, TestTokens.aToken().withMaxUse(1_000_000).build());
                long startNanos = System.nanoTime();
                Path log = dir.resolve("server-" + latencyMs + ".log");
                Process p = server(db, log);
                // started on port 0: the port is the one the server says it listens on (log polled
                // every 20 ms, which the first-answer time includes)
                int port = ServerProcess.awaitPort(p, log, 0);
                URI url = URI.create("http://127.0.0.1:" + port + "/new_email?t=1d_r84EW3N8hEKk&n=oneday");
                HttpClient probe = HttpClient.newHttpClient();
                double firstAnswerMs = -1;
                int created = 0;
                while (firstAnswerMs < 0) {
                    try {
                        probe.send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                        firstAnswerMs = (System.nanoTime() - startNanos) / 1e6;
                    } catch (IOException e) {
                        assertThat(p.isAlive()).isTrue();
                        p.waitFor(5, TimeUnit.MILLISECONDS);
                    }
                }
                try {
                    mailcow.setLatency(Duration.ofMillis(latencyMs));
                    // The first round after start (cold: the JIT has compiled little), then rounds until
                    // two in a row agree within 10 % (steady, as a server that runs for days).
                    Run cold = load(url, 16, 2000);
                    Run previous = cold;
                    Run warm = load(url, 16, 2000);
                    int rounds = 2;
                    while (rounds < 10 && Math.abs(warm.perSecond() - previous.perSecond()) > 0.1 * warm.perSecond()) {
                        previous = warm;
                        warm = load(url, 16, 2000);
                        rounds++;
                    }
                    assertThat(warm.created()).isEqualTo(2000);
                    created = rounds * 2000;
                    System.out.printf(
                            "BENCH server: mailcow latency %d ms, 16 clients, 2000 creations: cold %.0f/s (p50 %.1f ms,"
                                    + " p99 %.1f ms); steady after %d rounds %.0f/s, p50 %.1f ms, p99 %.1f ms;"
                                    + " start to first answer %.0f ms; peak RSS %d MB%n",
                            latencyMs,
                            cold.perSecond(),
                            cold.p50ms(),
                            cold.p99ms(),
                            rounds,
                            warm.perSecond(),
                            warm.p50ms(),
                            warm.p99ms(),
                            firstAnswerMs,
                            peakRssKb(p) / 1024);
                } finally {
                    p.destroy();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
                assertThat(storage.listAccounts()).hasSize(created);
            }
        }
    }
}
