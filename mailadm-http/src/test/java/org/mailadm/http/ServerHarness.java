package org.mailadm.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.token.Token;
import org.mailadm.sqlite.SqliteStorage;
import org.mailadm.testing.FakeMailcowServer;

/** A real server on a random port, built from the production component, in front of the fake mailcow. */
final class ServerHarness implements AutoCloseable {
    static final Duration PROVIDER_TIMEOUT = Duration.ofSeconds(1);

    final FakeMailcowServer mailcow = new FakeMailcowServer().start();
    final SqliteStorage storage;
    final HttpGraph graph;
    final MailadmServer server;
    final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final Path db;

    ServerHarness(Path dir, ServerConfig config, Token... tokens) {
        db = dir.resolve("mailadm.db");
        storage = database(db, mailcow, tokens);
        graph = HttpComponent.create(config, Clock.systemUTC(), db);
        server = graph.server().start();
    }

    ServerHarness(Path dir, Token... tokens) {
        this(dir, testConfig(), tokens);
    }

    /** A database initialized for the fake mailcow, holding these tokens. */
    static SqliteStorage database(Path db, FakeMailcowServer mailcow, Token... tokens) {
        SqliteStorage storage = SqliteStorage.open(db, Clock.systemUTC());
        storage.saveSettings(new Settings(
                "example.org",
                URI.create("https://mailadm.example.org/new_email"),
                mailcow.endpoint(),
                new ApiKey(FakeMailcowServer.RW_KEY)));
        for (Token t : tokens) {
            storage.insertToken(t);
        }
        return storage;
    }

    static ServerConfig testConfig() {
        return ServerConfig.defaults()
                .withPort(0)
                .withBindAddress("127.0.0.1")
                .withLimits(RateLimit.OFF, RateLimit.OFF)
                .withProviderTimeout(PROVIDER_TIMEOUT)
                // tests inject faults into mailcow's next calls: no background probe may take them
                .withGuard(ServerConfig.Guard.DEFAULTS.withoutProbe());
    }

    URI url(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.port() + pathAndQuery);
    }

    HttpResponse<String> post(String pathAndQuery) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(url(pathAndQuery))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(url(pathAndQuery)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends raw bytes (for request lines HttpClient will not produce) and returns the raw answer. */
    String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        server.close();
        mailcow.close();
    }
}
