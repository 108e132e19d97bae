package org.mailadm.http;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.mailadm.core.port.StorageException;
import org.slf4j.LoggerFactory;

/**
 * Entry point 1: the mailadm server ({@code mailadm-server}). Reads MAILADM_DB and the server
 * settings from the environment, the rest from the database; stops gracefully on SIGTERM.
 */
public final class HttpMain {
    /** Where the container image keeps the database. */
    public static final String DEFAULT_DB = "/mailadm/docker-data/mailadm.db";

    private HttpMain() {}

    /** What {@code mailadm-server --help} prints. */
    static final String USAGE = """
            Usage: mailadm-server [--help] [--version]

              The web API Delta Chat posts to (the original ran gunicorn for it). It reads
              MAILADM_DB (the database `mailadm init` wrote) and its settings from the environment:
              MAILADM_BIND, MAILADM_PORT (default 3691), MAILADM_TRUSTED_PROXIES, MAILADM_RATE_LIMIT,
              MAILCOW_TIMEOUT, ... (docs/configuration.md), and the installed
              /etc/mailadm/mailadm.env. Stops gracefully on SIGTERM.
            """;

    public static void main(String[] args) {
        if (args.length > 0) {
            switch (args[0]) {
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                case "--version" -> {
                    System.out.println("mailadm-server " + MailadmServer.version());
                    System.exit(0);
                }
                default -> {
                    System.err.println("mailadm-server: unknown argument " + args[0]
                            + "; it takes none (settings come from the environment): see mailadm-server --help");
                    System.exit(2);
                }
            }
        }
        System.setProperty("java.awt.headless", "true");
        // One start-up line of our own, not the libraries' (their warnings and errors still show).
        for (String library : new String[] {"io.undertow", "org.xnio"}) {
            if (System.getProperty("org.slf4j.simpleLogger.log." + library) == null) {
                System.setProperty("org.slf4j.simpleLogger.log." + library, "warn");
            }
        }
        // Undertow logs through jboss-logging: route it to SLF4J so every line has one format.
        System.setProperty("org.jboss.logging.provider", "slf4j");
        // The logging binding shipped in lib/: naming it spares SLF4J a search through every jar on the
        // class path, about 40 ms of a command. -Dslf4j.provider=... still chooses another.
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.simple.SimpleServiceProvider");
            // ...without SLF4J announcing on standard error that it did so
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        try {
            MailadmServer server = start(System.getenv());
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "mailadm-shutdown"));
        } catch (IllegalArgumentException | IllegalStateException | StorageException e) {
            System.err.println("mailadm-server: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Builds and starts the server from environment variables. */
    public static MailadmServer start(Map<String, String> env) {
        String db = env.getOrDefault("MAILADM_DB", DEFAULT_DB);
        Path path = Path.of(db).toAbsolutePath();
        if (!path.toFile().exists()) {
            throw new IllegalStateException(
                    "database " + path + " does not exist: set MAILADM_DB and run `mailadm init`");
        }
        ServerConfig config = ServerConfig.fromEnvironment(env);
        HttpComponent component = HttpComponent.create(config, Clock.systemUTC(), path);
        component
                .sqliteStorage()
                .migration()
                .ifPresent(m -> LoggerFactory.getLogger(HttpMain.class).warn(m.notice(path)));
        try {
            return component.server().start();
        } catch (RuntimeException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof java.net.SocketException || c instanceof java.net.UnknownHostException) {
                    throw new IllegalStateException(
                            "cannot listen on " + config.bindAddress() + ":" + config.port() + " ("
                                    + (c.getMessage() == null
                                            ? c.getClass().getSimpleName()
                                            : c.getMessage().toLowerCase(java.util.Locale.ROOT))
                                    + "): set MAILADM_PORT, or MAILADM_BIND to an address of this host");
                }
            }
            throw e;
        }
    }
}
