package org.mailadm.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.mailadm.testing.DeltaChatTools;
import org.mailadm.testing.FakeMailcowServer;

/**
 * Debian's real nginx with the site file the archive ships (examples/nginx-mailadm.conf), changed
 * only in its addresses, certificate and log paths, in front of a real mailadm-server from the
 * archive: what Delta Chat and the operator see through it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NginxIT {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;

    static Path home;
    static FakeMailcowServer mailcow;
    static Proc server;
    static Proc nginx;
    static int port;
    static String secret;
    static HttpClient client;
    /** A client from another loopback address than nginx's own, as a phone is. */
    static HttpClient phone;

    @BeforeAll
    static void start() throws Exception {
        boolean required = "1".equals(System.getenv("MAILADM_REQUIRE_NGINX"));
        if (required) {
            assertThat(NGINX)
                    .as("MAILADM_REQUIRE_NGINX=1: Debian's nginx (apt-get install nginx)")
                    .exists();
        }
        assumeTrue(Files.isExecutable(NGINX), "nginx is not installed");
        home = Path.of(System.getProperty("mailadm.dist"));
        mailcow = new FakeMailcowServer().start();
        Map<String, String> env = new HashMap<>(Map.of(
                "MAILADM_DB", work.resolve("mailadm.db").toString(),
                "MAILADM_JVM_CACHE", "0",
                "MAILADM_PORT", "0",
                "MAILADM_BIND", "127.0.0.1",
                "MAILADM_RATE_LIMIT", "off",
                "MAILADM_INVALID_TOKEN_LIMIT", "off"));
        Proc.Result init = Proc.run(work, env, MINUTE, command("mailadm", Accounts.initArgs(mailcow)));
        assertThat(init.code()).as(init.out()).isZero();
        Proc.Result token = Proc.run(
                work, env, MINUTE, command("mailadm", "add-token", "oneday", "--expiry", "1d", "--prefix", "tmp."));
        assertThat(token.code()).as(token.out()).isZero();
        secret = Accounts.secretFrom(token.out());
        server =
                Proc.start(work, env, List.of(home.resolve("bin/mailadm-server").toString()));
        int serverPort = Proc.listeningPort(server.awaitLine(l -> l.contains("mailadm listening"), MINUTE));

        Path tls = Files.createDirectories(work.resolve("tls"));
        Proc.Result cert = Proc.run(
                tls,
                Map.of(),
                MINUTE,
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-keyout",
                "key.pem",
                "-out",
                "cert.pem",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost");
        assertThat(cert.code()).as(cert.out()).isZero();
        client = client(tls.resolve("cert.pem"), null);
        phone = client(tls.resolve("cert.pem"), InetAddress.getByName("127.0.0.2"));

        Path shipped = home.resolve("examples/nginx-mailadm.conf");
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path temp = Files.createDirectories(work.resolve("nginx-temp"));
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxrwxrwx"));
        // A port for nginx, which cannot be asked for any free port: another is tried when it is taken.
        for (int attempt = 0; attempt < 5 && nginx == null; attempt++) {
            port = ThreadLocalRandom.current().nextInt(20_000, 60_000);
            String site = Files.readString(shipped)
                    .replace("listen 443 ssl;", "listen 127.0.0.1:" + port + " ssl;")
                    .replace("127.0.0.1:3691", "127.0.0.1:" + serverPort)
                    .replace(
                            "/etc/letsencrypt/live/mailadm.example.org/fullchain.pem",
                            tls.resolve("cert.pem").toString())
                    .replace(
                            "/etc/letsencrypt/live/mailadm.example.org/privkey.pem",
                            tls.resolve("key.pem").toString())
                    .replace("/var/log/nginx/", logs + "/");
            Files.writeString(work.resolve("site.conf"), site);
            Files.writeString(work.resolve("nginx.conf"), """
                    pid %1$s/nginx.pid;
                    error_log %2$s/main-error.log;
                    events {}
                    http {
                        include /etc/nginx/mime.types;
                        client_body_temp_path %3$s/body;
                        proxy_temp_path %3$s/proxy;
                        fastcgi_temp_path %3$s/fastcgi;
                        uwsgi_temp_path %3$s/uwsgi;
                        scgi_temp_path %3$s/scgi;
                        access_log off;
                        include %1$s/site.conf;
                    }
                    """.formatted(work, logs, temp));
            Proc started = Proc.start(
                    work,
                    Map.of(),
                    List.of(
                            NGINX.toString(),
                            "-p",
                            work.toString(),
                            "-c",
                            work.resolve("nginx.conf").toString(),
                            "-e",
                            logs.resolve("startup.log").toString(),
                            "-g",
                            "daemon off;"));
            if (listens(started)) {
                nginx = started;
            } else {
                started.close();
            }
        }
        assertThat(nginx).as("nginx started on a free port").isNotNull();
    }

    private static String[] command(String program, String... args) {
        List<String> c = new ArrayList<>(List.of(home.resolve("bin/" + program).toString()));
        c.addAll(List.of(args));
        return c.toArray(String[]::new);
    }

    private static HttpClient client(Path certificate, InetAddress local) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry(
                    "nginx", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient.Builder b = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1);
        if (local != null) {
            b.localAddress(local);
        }
        return b.build();
    }

    /**
     * Whether nginx listens: it writes its pid file once its sockets are bound, and exits when the
     * port is taken. Waits on the folder's events, not on a clock.
     */
    private static boolean listens(Proc started) throws Exception {
        Path pid = work.resolve("nginx.pid");
        long end = System.nanoTime() + MINUTE.toNanos();
        try (java.nio.file.WatchService events = work.getFileSystem().newWatchService()) {
            work.register(events, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE);
            while (System.nanoTime() < end) {
                if (Files.exists(pid)) {
                    client.send(get("/health"), HttpResponse.BodyHandlers.discarding());
                    return true;
                }
                if (!started.alive()) {
                    return false;
                }
                java.nio.file.WatchKey key = events.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
        return false;
    }

    private static HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + path))
                .build();
    }

    private static HttpResponse<String> post(HttpClient c, String pathAndQuery) throws Exception {
        return c.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + pathAndQuery))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (server != null) {
            server.close();
        }
        if (mailcow != null) {
            mailcow.close();
        }
    }

    @Test
    @Order(0)
    void docsShowTheShippedSiteFile() throws Exception {
        Path repo = Path.of(System.getProperty("mailadm.repo"));
        assertThat(Files.readString(repo.resolve("docs/nginx.md")))
                .as("docs/nginx.md shows examples/nginx-mailadm.conf; copy it again")
                .contains(Files.readString(home.resolve("examples/nginx-mailadm.conf")));
    }

    @Test
    @Order(1)
    void creationOnTheTokenPathAndOnSlash_withTheRealClientAddressInMailadmsLog() throws Exception {
        for (String path : List.of("/new_email", "/")) {
            HttpResponse<String> r = post(phone, path + "?t=" + secret + "&n=oneday");
            assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
            String email = JSON.readTree(r.body()).get("email").asText();
            assertThat(mailcow.hasMailbox(email)).isTrue();
        }
        assertThat(server.output())
                .as("mailadm's access log names the phone, not nginx")
                .contains("127.0.0.2");
    }

    @Test
    @Order(2)
    void theRealDeltaChatCore_getsAnAccountThroughNginx() throws Exception {
        DeltaChatTools tools = DeltaChatTools.require();
        DeltaChatTools.Run run =
                tools.dcaccountCheck(work, "https://127.0.0.1:" + port + "/new_email?t=" + secret + "&n=oneday");
        assertThat(run.code()).as(run.output()).isZero();
    }

    @Test
    @Order(3)
    void overTheRateLimit_nginxAnswers429InMailadmsJson_andTheCoreShowsItsReason() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            answers.add(post(client, "/new_email?t=nonsense" + i));
        }
        HttpResponse<String> limited = answers.stream()
                .filter(r -> r.statusCode() == 429)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no 429 in 40 requests at once"));
        assertThat(limited.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(limited.body());
        assertThat(body.get("type").asText()).isEqualTo("error");
        assertThat(body.get("status_code").asInt()).isEqualTo(429);
        assertThat(body.get("reason").asText()).contains("too many requests");

        DeltaChatTools tools = DeltaChatTools.require();
        // keep the bucket of 127.0.0.1 empty while the core asks (the tool's proxy is 127.0.0.1 too):
        // eight clients at once, far above the 10 requests per second nginx lets through
        AtomicBoolean flooding = new AtomicBoolean(true);
        java.util.concurrent.CountDownLatch limitedAnswers = new java.util.concurrent.CountDownLatch(50);
        List<Thread> flood = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            flood.add(Thread.ofVirtual().start(() -> {
                while (flooding.get()) {
                    try {
                        if (post(client, "/new_email?t=nonsense").statusCode() == 429) {
                            limitedAnswers.countDown();
                        }
                    } catch (Exception e) {
                        return;
                    }
                }
            }));
        }
        try {
            assertThat(limitedAnswers.await(1, java.util.concurrent.TimeUnit.MINUTES))
                    .as("the flood is being limited")
                    .isTrue();
            DeltaChatTools.Run run = tools.dcaccountCheck(
                    work, "https://127.0.0.1:" + port + "/new_email?t=" + secret + "&n=oneday", "--expect", "error");
            assertThat(run.code()).as(run.output()).isZero();
            assertThat(run.output()).contains("too many requests");
        } finally {
            flooding.set(false);
            for (Thread t : flood) {
                t.join();
            }
        }
    }

    @Test
    @Order(4)
    void noTokenSecretInNginxsLogs() throws Exception {
        String access = Files.readString(work.resolve("logs/mailadm.access.log"));
        assertThat(access)
                .contains("\"POST /new_email HTTP/1.1\"")
                .doesNotContain(secret)
                .doesNotContain("?t=");
        Path error = work.resolve("logs/mailadm.error.log");
        if (Files.exists(error)) {
            assertThat(Files.readString(error)).doesNotContain(secret);
        }
    }

    @Test
    @Order(5)
    void mailadmNotRunning_nginxAnswers502InMailadmsJson() throws Exception {
        server.stop(MINUTE);
        HttpResponse<String> r = post(phone, "/new_email?t=" + secret + "&n=oneday");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("status_code").asInt()).isEqualTo(502);
        assertThat(body.get("reason").asText()).contains("not running");
        assertThat(Files.readString(work.resolve("logs/mailadm.access.log"))).doesNotContain(secret);
    }
}
