package org.mailadm.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.core.token.TokenPolicy;
import org.mailadm.sqlite.SqliteStorage;
import org.mailadm.testing.FakeMailcowServer;
import org.mailadm.testing.TestTokens;

/**
 * The server as deployed (its own process, its log in a file) at the edges of issue 11: a chunked
 * body too large, a database locked by another process, a token whose quota mailcow refuses, and a
 * clean stop that leaves the database file complete on its own. No stack trace reaches the log.
 */
class ServerEdgesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String T = "1d_r84EW3N8hEKk";

    @TempDir
    Path dir;

    private final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private HttpResponse<String> post(int port, String query) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/new_email?" + query))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String chunked(int port, int bytes) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /new_email?t=" + T
                            + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[8192];
            try {
                for (int sent = 0; sent < bytes; sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the server answered and closed before the whole body was sent
            }
            InputStream in = s.getInputStream();
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.net.SocketException e) {
                return ""; // cut off: the server closed without reading the rest
            }
        }
    }

    /** Sends the bytes, then stops sending (half-close) and returns whatever came back. */
    private static String raw(int port, String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(3_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            try {
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
                return "";
            }
        }
    }

    @Test
    void aTakenPort_isOneLine() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
            Path db = dir.resolve("mailadm.db");
            ServerHarness.database(db, mailcow, TestTokens.aToken().build()).close();
            Path log = dir.resolve("taken.log");
            Process p = ServerProcess.start(db, taken.getLocalPort(), log, Map.of());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isEqualTo(1);
            String text = Files.readString(log).strip();
            assertThat(text.lines().reduce((a, b) -> b).orElse(""))
                    .isEqualTo(
                            "mailadm-server: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                                    + " (address already in use): set MAILADM_PORT, or MAILADM_BIND to an address of this host");
            assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
        }
    }

    @Test
    void edgesAnswerInJson_theLogHasNoStackTrace_andTheStoppedFileIsWhole() throws Exception {
        try (FakeMailcowServer mailcow = new FakeMailcowServer().start()) {
            mailcow.addDomain("example.org", Integer.MAX_VALUE, 0, 100, 0);
            Path db = dir.resolve("mailadm.db");
            SqliteStorage setup = ServerHarness.database(
                    db,
                    mailcow,
                    TestTokens.aToken().withMaxUse(100).build(),
                    TestTokens.aToken()
                            .named("big")
                            .withSecret("1d_bigbigbigbig")
                            .withPolicy(TokenPolicy.NONE.withQuotaMiB(500))
                            .build());
            setup.close();

            Path log = dir.resolve("server.log");
            Process server = ServerProcess.start(db, 0, log, Map.of());
            int port = ServerProcess.awaitPort(server, log, 0);
            try {
                HttpKillTest.awaitHealthy(client, port, server);
                for (int i = 0; i < 7; i++) {
                    assertThat(post(port, "t=" + T).statusCode()).isEqualTo(200);
                }

                // a chunked body over 64 KiB: 413, like a declared one
                assertThat(chunked(port, 100 * 1024)).startsWith("HTTP/1.1 413").contains("request body too large");
                chunked(port, 4 * 1024 * 1024); // past what is worth draining: cut off (below, without a trace)
                assertThat(chunked(port, 1024)).startsWith("HTTP/1.1 200");

                // a request whose body never arrives whole gets no account that nobody would receive
                assertThat(raw(
                                port,
                                "POST /new_email?t=" + T + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nAAA"))
                        .isEmpty();
                assertThat(raw(
                                port,
                                "POST /new_email?t=" + T + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                        + "zz\r\nAAA\r\n0\r\n\r\n"))
                        .doesNotContain("200");

                // the token's quota is above mailcow's per-mailbox maximum: a configuration error
                HttpResponse<String> big = post(port, "t=1d_bigbigbigbig");
                JsonNode reason = JSON.readTree(big.body());
                assertThat(reason.get("reason").asText())
                        .isEqualTo("this invitation code cannot be used: the mailbox size it gives is larger than the"
                                + " mail server allows; please tell whoever gave it to you");

                // another process holds the write lock longer than the busy timeout: 503 + Retry-After
                try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + db);
                        var s = other.createStatement()) {
                    s.execute("BEGIN IMMEDIATE");
                    s.execute("UPDATE tokens SET maxuse = maxuse");
                    HttpResponse<String> busy = post(port, "t=" + T);
                    s.execute("ROLLBACK");
                    assertThat(busy.statusCode()).isEqualTo(503);
                    assertThat(busy.headers().firstValue("Retry-After")).contains("5");
                    assertThat(JSON.readTree(busy.body()).get("reason").asText())
                            .isEqualTo("the server is busy; try again in 5 seconds");
                }
                assertThat(post(port, "t=" + T).statusCode())
                        .as("works again at once")
                        .isEqualTo(200);
            } finally {
                server.destroy(); // SIGTERM
                assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            String text = Files.readString(log);
            assertThat(text)
                    .contains("cannot create accounts: its quota of 500 MiB is above mailcow's maximum")
                    .contains("mailadm mod-token big --quota")
                    .contains("locked by another process")
                    .doesNotContain("Exception")
                    .doesNotContain("\tat ");

            Path copy = dir.resolve("copy.db");
            Files.copy(db, copy); // the file alone, as `cp mailadm.db` takes it after a stop
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy);
                    ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM users")) {
                assertThat(rs.getInt(1)).isEqualTo(9);
            }
        }
    }
}
