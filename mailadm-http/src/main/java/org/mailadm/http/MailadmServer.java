package org.mailadm.http;

import static org.mailadm.http.Exchanges.error;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RoutingHandler;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.ExceptionHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.mailadm.core.account.AccountCreation;
import org.mailadm.core.account.Reconciler;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.Storage;
import org.mailadm.core.port.StorageBusyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.Options;

/**
 * The web API that Delta Chat calls: {@code POST /} and {@code POST <path of WEB_ENDPOINT>} create an
 * account; {@code GET} on those paths shows a page for browsers; {@code /health} and {@code
 * /metrics} are for operators. See docs/http-api.md.
 *
 * <p>Settles pending accounts at start-up and every {@link ServerConfig#reconcileInterval()};
 * {@link #close()} stops accepting requests and waits for those in flight.
 */
@Singleton
public final class MailadmServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailadmServer.class);

    private final ServerConfig config;
    private final Storage storage;
    private final MailProvider provider;
    private final Clock clock;
    private final String endpointPath;
    private final HttpHandler routes;
    private final AccessLogFactory accessLog;
    private final BackgroundWork background;
    /** Creations wait on mailcow and the database: each gets a virtual thread of its own. */
    private ExecutorService creations;
    /** Everything else (health, metrics, the token page, errors) never waits behind a creation. */
    private ExecutorService quick;

    private Undertow undertow;
    private GracefulShutdownHandler shutdown;
    private volatile Instant startedAt = Instant.EPOCH;
    private volatile boolean stopping;
    /** What the start-up line says besides the address: version, endpoint, database, mailcow. */
    private final String summary;

    /** Wraps the dispatcher in the access log (it names the client for every handler after it). */
    @FunctionalInterface
    private interface AccessLogFactory {
        HttpHandler around(HttpHandler next);
    }

    @Inject
    MailadmServer(
            ServerConfig config,
            Storage storage,
            AccountCreation creation,
            Reconciler reconciler,
            GuardedMailProvider guard,
            Settings settings,
            PrometheusMeterRegistry registry,
            Clock clock,
            @Named("database") Path database) {
        this.config = config;
        this.summary = "version " + version() + ", endpoint "
                + Exchanges.normalize(settings.webEndpoint().getRawPath()) + ", database " + database + ", mailcow "
                + settings.mailcowEndpoint();
        this.storage = storage;
        this.provider = guard;
        this.clock = clock;
        this.endpointPath = Exchanges.normalize(settings.webEndpoint().getRawPath());
        RateLimiter invalidTokens = new RateLimiter(config.invalidTokenLimit(), clock);
        HttpHandler create =
                new CreationHandler(creation, new RateLimiter(config.createLimit(), clock), invalidTokens, registry);
        HttpHandler page = new TokenPageHandler(storage, settings, invalidTokens);
        HealthCheck health = new HealthCheck(storage, guard);
        HttpHandler healthHandler = StatusHandlers.health(health, () -> startedAt);
        RoutingHandler routing = Handlers.routing()
                .get("/health", healthHandler)
                .add(Methods.HEAD, "/health", healthHandler)
                .get("/metrics", StatusHandlers.metrics(storage, registry))
                .setFallbackHandler(ex -> error(ex, Reply.NOT_FOUND))
                .setInvalidMethodHandler(this::methodNotAllowed);
        for (String path : endpointPath.equals("/") ? new String[] {"/"} : new String[] {"/", endpointPath}) {
            routing.post(path, create).get(path, page).add(Methods.HEAD, path, page);
        }
        this.routes = Handlers.exceptionHandler(ex -> {
                    ex.setRelativePath(Exchanges.normalize(ex.getRelativePath())); // "/new_email/" too
                    routing.handleRequest(ex);
                })
                .addExceptionHandler(StorageBusyException.class, MailadmServer::busy)
                .addExceptionHandler(Throwable.class, MailadmServer::internal);
        ClientAddress clients = new ClientAddress(config.trustedProxies());
        this.accessLog = next -> new AccessLog(clients, registry, next);
        this.background = new BackgroundWork(reconciler, health, config.reconcileInterval(), config.healthProbe());
    }

    private void methodNotAllowed(HttpServerExchange ex) {
        String path = Exchanges.normalize(ex.getRequestPath());
        boolean creationPath = path.equals("/") || path.equals(endpointPath);
        ex.getResponseHeaders().put(Headers.ALLOW, creationPath ? "POST, GET, HEAD" : "GET, HEAD");
        error(
                ex,
                new Reply(
                        405,
                        "method " + Exchanges.printable(ex.getRequestMethod().toString()) + " not allowed"
                                + (creationPath ? "; Delta Chat uses POST" : ""),
                        "bad_method"));
    }

    /** Another process held the database's write lock too long: 503 with Retry-After, one log line. */
    private static void busy(HttpServerExchange ex) {
        Throwable e = ex.getAttachment(ExceptionHandler.THROWABLE);
        LOG.warn("{} {}: {}", ex.getRequestMethod(), Exchanges.printable(ex.getRequestPath()), e.getMessage());
        error(ex, Reply.BUSY);
    }

    /** Anything unexpected: the details in the log, a short reason in the answer, never a trace. */
    private static void internal(HttpServerExchange ex) {
        LOG.error(
                "internal error on {} {}",
                ex.getRequestMethod(),
                Exchanges.printable(ex.getRequestPath()),
                ex.getAttachment(ExceptionHandler.THROWABLE));
        error(ex, Reply.INTERNAL);
    }

    /**
     * Starts listening, and settles pending accounts older than the in-flight window in the
     * background (younger ones may belong to a creation still running in another process, such as a
     * CLI {@code add-user}).
     */
    public synchronized MailadmServer start() {
        creations = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("mailadm-create-", 0).factory());
        quick = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "mailadm-quick");
            t.setDaemon(true);
            return t;
        });
        shutdown = new GracefulShutdownHandler(accessLog.around(this::dispatch));
        HttpHandler front = ex -> {
            if (stopping) {
                // GracefulShutdownHandler would answer a bare 503, which Delta Chat shows as garbage
                error(ex, Reply.STOPPING);
            } else {
                shutdown.handleRequest(ex);
            }
        };
        undertow = Undertow.builder()
                .addHttpListener(config.port(), config.bindAddress())
                .setWorkerThreads(64)
                // Bodies up to the drain limit are read (and counted, for chunked ones) so a 413 reaches
                // the client; MAX_BODY is enforced by the handler. Undertow's own limit cuts the rest.
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 2 * CreationHandler.DRAIN_LIMIT)
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, 10_000)
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, 60_000)
                .setServerOption(UndertowOptions.MAX_HEADERS, 100)
                .setServerOption(UndertowOptions.ALWAYS_SET_DATE, true)
                // The query is decoded by Query, strictly (invalid UTF-8 gets a JSON 400 from us).
                .setServerOption(UndertowOptions.DECODE_URL, false)
                .setSocketOption(Options.REUSE_ADDRESSES, true)
                .setHandler(front)
                .build();
        undertow.start();
        startedAt = clock.instant();
        background.start();
        LOG.info("mailadm listening on http://{}:{}/ ({})", config.bindAddress(), port(), summary);
        return this;
    }

    /** This build's version (the jar's {@code Implementation-Version}), or {@code development}. */
    public static String version() {
        String v = MailadmServer.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    /** Off the I/O thread: creations on virtual threads of their own, everything else on the quick pool. */
    private void dispatch(HttpServerExchange ex) throws Exception {
        if (ex.isInIoThread()) {
            String path = Exchanges.normalize(ex.getRequestPath());
            boolean creation =
                    ex.getRequestMethod().equals(Methods.POST) && (path.equals("/") || path.equals(endpointPath));
            ex.dispatch(creation ? creations : quick, new BlockingHandler(routes));
        } else {
            routes.handleRequest(ex);
        }
    }

    /** The port actually listened on (useful with port 0). */
    public int port() {
        return ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
    }

    /** The base URL on the loopback address, for tests and the demo. */
    public URI localUrl() {
        String host = config.bindAddress().contains(":") ? "[::1]" : "127.0.0.1";
        return URI.create("http://" + host + ":" + port() + "/");
    }

    /**
     * Stops accepting requests, lets those in flight finish (up to the shutdown timeout), then stops
     * and closes the mail provider and the storage (whose WAL is then folded into the database file).
     * A creation cut off by the timeout leaves at most a pending account, which reconcile settles.
     */
    @Override
    public synchronized void close() {
        if (undertow == null) {
            return;
        }
        stopping = true;
        shutdown.shutdown();
        try {
            if (!shutdown.awaitShutdown(config.shutdownTimeout().toMillis())) {
                LOG.warn(
                        "requests still running after {} s; stopping anyway",
                        config.shutdownTimeout().toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        background.close();
        undertow.stop();
        creations.shutdownNow();
        quick.shutdownNow();
        undertow = null;
        // The server owns its provider and storage: closing the storage folds the WAL into the file.
        closeQuietly(provider);
        closeQuietly(storage);
        LOG.info("mailadm stopped");
    }

    private static void closeQuietly(Object resource) {
        if (resource instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resource.getClass().getSimpleName(), e.getMessage());
            }
        }
    }
}
