package org.mailadm.cli;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.mailadm.core.account.DcLogin;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;
import org.mailadm.core.port.NewMailbox;
import org.mailadm.core.token.Expiry;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenAdmin;
import org.mailadm.core.token.TokenLinks;
import org.mailadm.core.token.TokenName;
import org.mailadm.greenmail.EmbeddedMailServer;
import org.mailadm.greenmail.GreenMailProvider;
import org.mailadm.http.MailadmServer;
import org.mailadm.http.ServerConfig;
import org.mailadm.qr.QrImages;

/**
 * Everything on this machine: the web API on a SQLite database in a new folder, and an embedded
 * SMTP/IMAP server (GreenMail) as the mail provider, so the accounts it hands out are real.
 */
@Parameters(
        commandDescription = "Try mailadm on this machine: the web API, a demo token and an embedded mail server"
                + " whose accounts a mail client can use")
@CommandRole(value = Role.SERVER, createsDatabase = true)
final class DemoCommand extends BaseCommand {
    static final String DOMAIN = "example.org";

    /**
     * A new API key for the demo's mailcow-compatible API each run (its settings hold it, as init
     * would): no other local user can guess it.
     */
    private static String demoKey() {
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder key = new StringBuilder("DEMO");
        for (int i = 0; i < 28; i++) {
            key.append("0123456789ABCDEF".charAt(random.nextInt(16)));
        }
        return key.toString();
    }

    /** The commands the demo suggests trying on its database; ReadmeDemoIT runs each. */
    static final List<String> FOLLOW_UPS =
            List.of("list-tokens", "add-user tmp.alice@example.org", "list-users", "prune --dryrun", "reconcile");

    @Parameter(names = "--dir", description = "Folder for the demo database [default: a new temporary folder]")
    String dir;

    @Parameter(names = "--port", description = "Port of the web API, 0 for any free port [default: 3691]")
    int port = ServerConfig.DEFAULT_PORT;

    @Parameter(names = "--smtp-port", description = "Port of the embedded SMTP server, 0 for any [default: 3025]")
    int smtpPort = 3025;

    @Parameter(names = "--imap-port", description = "Port of the embedded IMAP server, 0 for any [default: 3143]")
    int imapPort = 3143;

    @Parameter(
            names = "--accounts",
            description = "Create this many accounts through the web API at once, as Delta Chat would")
    int accounts;

    @Parameter(names = "--exit", description = "Stop when set up (and --accounts made) instead of serving")
    boolean exit;

    private final Environment env;
    private final Clock clock;
    private final Output output;

    @Inject
    DemoCommand(Environment env, Clock clock, Output output) {
        this.env = env;
        this.clock = clock;
        this.output = output;
    }

    @Override
    public int run() {
        if (accounts < 0 || accounts > 1000) {
            throw new UsageException("--accounts must be between 0 and 1000");
        }
        Path db = folder().resolve("mailadm.db").toAbsolutePath();
        int webPort = port == 0 ? freePort() : port;
        ServerConfig config;
        try {
            config = ServerConfig.fromEnvironment(env.variables())
                    .withPort(webPort)
                    .withBindAddress("127.0.0.1");
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        EmbeddedMailServer mail;
        try {
            mail = EmbeddedMailServer.start(new EmbeddedMailServer.Options(DOMAIN, "127.0.0.1", smtpPort, imapPort));
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage());
        }
        PrintStream out = output.out();
        Announcing provider = new Announcing(new GreenMailProvider(mail), mail, out);
        // mailcow's API over the embedded server: commands in other processes use it as they use mailcow
        String apiKey = demoKey();
        MailcowApi api = MailcowApi.start(provider, apiKey, 0);
        DemoComponent graph = DaggerDemoComponent.factory().create(config, clock, db, provider);
        URI endpoint = URI.create("http://127.0.0.1:" + webPort + "/new_email");
        Settings settings = new Settings(DOMAIN, endpoint, api.endpoint(), new ApiKey(apiKey));
        graph.configuration().save(settings);
        Token token = demoToken(graph.tokenAdmin());
        MailadmServer server;
        try {
            server = graph.server().start();
        } catch (RuntimeException e) {
            api.close();
            mail.close();
            throw new CliException("cannot start the web API on 127.0.0.1:" + webPort
                    + " (is the port taken? try --port 0): " + e.getMessage());
        }
        String url = new TokenLinks(endpoint).webUrl(token);
        out.println("mailadm demo: everything runs on this machine.");
        out.println("  database:    " + db);
        out.println("  web API:     " + endpoint);
        out.println("  mail server: SMTP " + mail.host() + ":" + mail.smtpPort() + ", IMAP " + mail.host() + ":"
                + mail.imapPort() + " (embedded GreenMail, plain text, for trying only; domain " + DOMAIN + ")");
        out.println();
        output.printToken(token, settings);
        out.print(QrImages.terminal(new TokenLinks(endpoint).qrPayload(token)));
        out.println();
        out.println("Create an account, as Delta Chat does when it scans the QR code:");
        out.println("  curl -X POST '" + url + "' -w '\\n'");
        out.println("Each new account is printed below with a dclogin: text, which a mail client or Delta Chat"
                + " (desktop, on this machine) logs in with. Other commands on this database:");
        for (String command : FOLLOW_UPS) {
            out.println("  MAILADM_DB=" + db + " ./mailadm " + command);
        }
        out.println("(while the demo runs: they reach its mail server through a mailcow-compatible API at "
                + api.endpoint() + ")");
        out.println();
        out.flush();
        Runnable stop = () -> {
            server.close();
            api.close();
            mail.close();
        };
        try {
            for (int i = 0; i < accounts; i++) {
                createAccount(url);
            }
        } catch (RuntimeException e) {
            stop.run();
            throw e;
        }
        if (exit) {
            stop.run();
            return 0;
        }
        out.println("serving until Ctrl-C (the folder " + db.getParent() + " stays: --dir " + db.getParent()
                + " runs the demo on it again)");
        out.flush();
        UntilStopped.await(stop);
        return 0;
    }

    private Path folder() {
        try {
            return dir != null ? Files.createDirectories(Path.of(dir)) : Files.createTempDirectory("mailadm-demo");
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot create the demo folder " + (dir == null ? "" : dir + " ") + "("
                    + e.getMessage() + "); choose another with --dir");
        }
    }

    /** The token {@code demo} of an earlier run in the same folder, or a new one (1 day, 100 uses). */
    private static Token demoToken(TokenAdmin tokens) {
        TokenName name = new TokenName("demo");
        return tokens.find(name).orElseGet(() -> switch (tokens.add(
                name, Expiry.parse("1d"), "tmp.", 100, Optional.empty())) {
            case TokenAdmin.AddTokenResult.Added a -> a.token();
            case TokenAdmin.AddTokenResult.NameTaken t -> tokens.find(name).orElseThrow();
            case TokenAdmin.AddTokenResult.SecretTaken t ->
                throw new CliException("could not create the demo token; run the demo again");
        });
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new CliException("cannot find a free port: " + e.getMessage());
        }
    }

    private void createAccount(String url) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new CliException("the demo server refused an account: " + r.statusCode() + " " + r.body());
            }
        } catch (IOException e) {
            throw new CliException("cannot reach the demo server: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    /** Prints every account the embedded server gets, with the dclogin: text to use it. */
    private static final class Announcing implements MailProvider {
        private final MailProvider delegate;
        private final EmbeddedMailServer mail;
        private final PrintStream out;

        Announcing(MailProvider delegate, EmbeddedMailServer mail, PrintStream out) {
            this.delegate = delegate;
            this.mail = mail;
            this.out = out;
        }

        @Override
        public CreateMailboxResult createMailbox(NewMailbox mailbox) {
            CreateMailboxResult r = delegate.createMailbox(mailbox);
            if (r instanceof CreateMailboxResult.Created) {
                DcLogin login = new DcLogin(
                        mailbox.address(),
                        mailbox.password(),
                        Optional.of(new DcLogin.Server(mail.host(), mail.imapPort(), DcLogin.Security.PLAIN)),
                        Optional.of(new DcLogin.Server(mail.host(), mail.smtpPort(), DcLogin.Security.PLAIN)));
                synchronized (out) {
                    out.println("account created: " + mailbox.address());
                    out.println("  " + login.text());
                    out.flush();
                }
            }
            return r;
        }

        @Override
        public List<MailboxDeletion> deleteMailboxes(List<EmailAddress> addresses) {
            return delegate.deleteMailboxes(addresses);
        }

        @Override
        public boolean setActive(EmailAddress address, boolean active) {
            return delegate.setActive(address, active);
        }

        @Override
        public Optional<Mailbox> findMailbox(EmailAddress address) {
            return delegate.findMailbox(address);
        }

        @Override
        public List<Mailbox> listMailboxes() {
            return delegate.listMailboxes();
        }

        @Override
        public void checkHealth() {
            delegate.checkHealth();
        }
    }
}
