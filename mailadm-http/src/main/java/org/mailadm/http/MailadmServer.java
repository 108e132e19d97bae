package org.mailadm.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.server.handlers.GracefulShutdownHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.mailadm.core.account.AccountCreation;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.account.Reconciler;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailProviderHeldBackException;
import org.mailadm.core.port.Storage;
import org.mailadm.core.port.StorageBusyException;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenSecret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
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
    private static final Logger ACCESS = LoggerFactory.getLogger("mailadm.access");
    private static final AttachmentKey<String> OUTCOME = AttachmentKey.create(String.class);
    private static final AttachmentKey<String> TOKEN = AttachmentKey.create(String.class);
    private static final AttachmentKey<String> CLIENT = AttachmentKey.create(String.class);
    private static final long MAX_BODY = 64 * 1024;
    /**
     * A declared body up to this size is read and thrown away before the 413 goes out. Closing a
     * socket with unread bytes makes the kernel send a reset, which can destroy the answer before the
     * client reads it; draining first means the client sees the 413 and its reason.
     */
    private static final long DRAIN_LIMIT = 1024 * 1024;

    private final MultiGauge pruned;
    /** Counters built once each; a token name cannot contain NUL, so the keys never collide. */
    private final java.util.Map<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();

    private final ServerConfig config;
    private final Storage storage;
    private final AccountCreation creation;
    private final Reconciler reconciler;
    private final MailProvider provider;
    private final Settings settings;
    private final PrometheusMeterRegistry registry;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final ClientAddress clients;
    private final RateLimiter createLimiter;
    private final RateLimiter invalidTokenLimiter;
    private final String endpointPath;
    private final HealthCheck health;
    private final GuardedMailProvider guard;
    /** Creations wait on mailcow and the database: each gets a virtual thread of its own. */
    private ExecutorService creations;
    /** Everything else (health, metrics, the token page, errors) never waits behind a creation. */
    private ExecutorService quick;

    private Undertow undertow;
    private GracefulShutdownHandler shutdown;
    private ScheduledExecutorService background;
    /** Probes mailcow every {@code config.healthProbe()}: one harmless call, held back by open breakers. */
    private ScheduledExecutorService probes;

    private Instant startedAt;
    private volatile boolean stopping;

    @Inject
    MailadmServer(
            ServerConfig config,
            Storage storage,
            AccountCreation creation,
            Reconciler reconciler,
            GuardedMailProvider guard,
            Settings settings,
            PrometheusMeterRegistry registry,
            Clock clock) {
        this.config = config;
        this.storage = storage;
        this.creation = creation;
        this.reconciler = reconciler;
        this.provider = guard;
        this.settings = settings;
        this.registry = registry;
        this.pruned = MultiGauge.builder("mailadm.token.pruned")
                .description("Accounts prune deleted, per token (from the audit log, so prune in any process counts)")
                .register(registry);
        this.clock = clock;
        this.clients = new ClientAddress(config.trustedProxies());
        this.createLimiter = new RateLimiter(config.createLimit(), clock);
        this.invalidTokenLimiter = new RateLimiter(config.invalidTokenLimit(), clock);
        this.endpointPath = normalize(settings.webEndpoint().getRawPath());
        this.guard = guard;
        this.health = new HealthCheck(storage, guard);
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
        shutdown = new GracefulShutdownHandler(this::logged);
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
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, 2 * DRAIN_LIMIT)
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
        background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailadm-reconcile");
            t.setDaemon(true);
            return t;
        });
        long every = config.reconcileInterval().toMillis();
        // settling may wait on mailcow: it never delays the first answer
        background.execute(() -> reconcileQuietly("start-up reconcile"));
        background.scheduleWithFixedDelay(this::reconcileInBackground, every, every, TimeUnit.MILLISECONDS);
        probes = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mailadm-health-probe");
            t.setDaemon(true);
            return t;
        });
        if (config.healthProbe().isPositive()) {
            probes.scheduleWithFixedDelay(health::probe, 0, config.healthProbe().toMillis(), TimeUnit.MILLISECONDS);
        }
        LOG.info("mailadm listening on http://{}:{}/ (endpoint {})", config.bindAddress(), port(), endpointPath);
        return this;
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
        background.shutdownNow();
        probes.shutdownNow();
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

    private void reconcileInBackground() {
        reconcileQuietly("background reconcile");
    }

    /** Settling must never keep the server from starting or its scheduler from running. */
    private void reconcileQuietly(String what) {
        try {
            settlePending(what);
        } catch (RuntimeException e) {
            LOG.warn("{} failed, tried again in a minute: {}", what, e.getMessage());
        }
    }

    /** Settles pending accounts past the in-flight window; one log line when there were any. */
    private void settlePending(String what) {
        Reconciler.PendingReport report = reconciler.settlePending();
        if (report.total() > 0) {
            LOG.info(
                    "{}: {} pending accounts confirmed, {} released, {} discarded (nobody received their credentials),"
                            + " {} left for later",
                    what,
                    report.confirmed().size(),
                    report.released().size(),
                    report.discarded().size(),
                    report.unresolved().size());
        }
    }

    // ---- request handling

    private void logged(HttpServerExchange ex) throws Exception {
        long start = System.nanoTime();
        ex.putAttachment(CLIENT, clients.of(ex));
        ex.addExchangeCompleteListener((done, next) -> {
            long ms = (System.nanoTime() - start) / 1_000_000;
            String outcome = done.getAttachment(OUTCOME);
            String token = done.getAttachment(TOKEN);
            ACCESS.info(
                    "{} \"{} {}\" {} {}ms{}{}",
                    done.getAttachment(CLIENT),
                    done.getRequestMethod(),
                    printable(done.getRequestPath()),
                    done.getStatusCode(),
                    ms,
                    outcome == null ? "" : " " + outcome,
                    token == null ? "" : " token=" + token);
            if (outcome != null) {
                counters.computeIfAbsent(
                                outcome,
                                o -> Counter.builder("mailadm.requests")
                                        .description("Account requests by outcome")
                                        .tag("outcome", o)
                                        .register(registry))
                        .increment();
            }
            next.proceed();
        });
        if (ex.isInIoThread()) {
            boolean creation = ex.getRequestMethod().equals(Methods.POST)
                    && (normalize(ex.getRequestPath()).equals("/")
                            || normalize(ex.getRequestPath()).equals(endpointPath));
            ex.dispatch(creation ? creations : quick, new BlockingHandler(this::route));
        } else {
            route(ex);
        }
    }

    private void route(HttpServerExchange ex) {
        try {
            String path = normalize(ex.getRequestPath());
            if (path.equals("/health")) {
                health(ex);
            } else if (path.equals("/metrics")) {
                metrics(ex);
            } else if (path.equals("/") || path.equals(endpointPath)) {
                if (ex.getRequestMethod().equals(Methods.POST)) {
                    create(ex);
                } else if (ex.getRequestMethod().equals(Methods.GET)
                        || ex.getRequestMethod().equals(Methods.HEAD)) {
                    page(ex);
                } else {
                    ex.getResponseHeaders().put(Headers.ALLOW, "POST, GET, HEAD");
                    error(
                            ex,
                            new Reply(
                                    405,
                                    "method " + printable(ex.getRequestMethod().toString())
                                            + " not allowed; Delta Chat uses POST",
                                    "bad_method"));
                }
            } else {
                error(ex, Reply.NOT_FOUND);
            }
        } catch (StorageBusyException e) {
            LOG.warn("{} {}: {}", ex.getRequestMethod(), printable(ex.getRequestPath()), e.getMessage());
            if (!ex.isResponseStarted()) {
                error(ex, Reply.BUSY);
            }
        } catch (RuntimeException e) {
            LOG.error("internal error on {} {}", ex.getRequestMethod(), printable(ex.getRequestPath()), e);
            if (!ex.isResponseStarted()) {
                error(ex, Reply.INTERNAL);
            }
        }
    }

    private void create(HttpServerExchange ex) {
        switch (readBody(ex)) {
            case FINE -> {}
            case TOO_LARGE -> {
                ex.getResponseHeaders().put(Headers.CONNECTION, "close");
                error(ex, Reply.BODY_TOO_LARGE);
                return;
            }
            case BROKEN -> {
                ex.putAttachment(OUTCOME, "aborted");
                IoUtils.safeClose(ex.getConnection());
                return;
            }
        }
        String client = ex.getAttachment(CLIENT);
        List<String> tokens;
        try {
            tokens = Query.values(ex.getQueryString(), "t");
        } catch (Query.MalformedException e) {
            error(ex, Reply.BAD_QUERY);
            return;
        }
        if (tokens.size() > 1) {
            error(ex, Reply.TOKEN_TWICE);
            return;
        }
        if (tokens.isEmpty() || tokens.get(0).isEmpty()) {
            error(ex, Reply.TOKEN_MISSING);
            return;
        }
        Optional<Duration> guessing = invalidTokenLimiter.exhaustedFor(client);
        if (guessing.isPresent()) {
            error(ex, Reply.invalidTokens(guessing.get()));
            return;
        }
        Optional<Duration> wait = createLimiter.tryAcquire(client);
        if (wait.isPresent()) {
            error(ex, Reply.rateLimited(wait.get()));
            return;
        }
        String raw = tokens.get(0);
        CreateAccountResult result;
        try {
            result = creation.createWithSecret(raw, "web:" + client);
        } catch (MailProviderHeldBackException e) {
            // the guard logs once per change of its state, not once per request
            LOG.debug("account creation held back: {}", e.getMessage());
            error(ex, Reply.of(e));
            return;
        } catch (MailProviderException e) {
            LOG.warn("account creation failed at the mail provider ({}): {}", e.kind(), e.getMessage());
            error(ex, Reply.of(e));
            return;
        }
        switch (result) {
            case CreateAccountResult.Created c -> {
                ex.putAttachment(OUTCOME, "created");
                ex.putAttachment(TOKEN, c.token().name().value());
                count(c.token().name().value(), "created", "none");
                ObjectNode o = json.createObjectNode();
                o.put("email", c.account().address().toString());
                o.put("password", c.password().value());
                o.put("expiry", c.token().expiry().code());
                o.put("ttl", c.token().expiry().seconds());
                o.put("status_code", 200);
                send(ex, 200, "application/json", o.toString());
            }
            case CreateAccountResult.TokenNotFound n -> {
                invalidTokenLimiter.tryAcquire(client);
                error(ex, Reply.of(result, raw));
            }
            case CreateAccountResult.TokenExhausted x -> {
                ex.putAttachment(TOKEN, x.token().name().value());
                count(x.token().name().value(), "refused", "exhausted");
                error(ex, Reply.of(result, raw));
            }
            case CreateAccountResult.TokenNotValid v -> {
                ex.putAttachment(TOKEN, v.token().name().value());
                Reply reply = Reply.of(result, raw);
                count(v.token().name().value(), "refused", reply.outcome());
                error(ex, reply);
            }
            case CreateAccountResult.ProviderRejected r -> {
                ex.putAttachment(TOKEN, r.token().name().value());
                Reply reply = Reply.of(result, raw);
                count(r.token().name().value(), "refused", reply.outcome());
                if (r.reason() == CreateMailboxResult.Reason.QUOTA_ABOVE_MAXIMUM) {
                    LOG.warn(
                            "token '{}' cannot create accounts: its quota of {} MiB is above mailcow's maximum ({});"
                                    + " lower it with `mailadm mod-token {} --quota SIZE`",
                            r.token().name(),
                            r.token().policy().quotaMiB(),
                            r.detail(),
                            r.token().name());
                } else {
                    LOG.warn(
                            "mailcow refused to create an account for token '{}': {} ({})",
                            r.token().name(),
                            r.reason(),
                            r.detail());
                }
                error(ex, reply);
            }
            case CreateAccountResult.AddressTaken t -> {
                LOG.warn("account creation failed: {} exists already ({})", t.address(), t.where());
                error(ex, Reply.of(result, raw));
            }
            case CreateAccountResult.WouldCreate w -> throw new IllegalStateException("the web API never dry-runs");
            case CreateAccountResult.ForeignDomain f -> {
                LOG.error("account creation failed: {}", f);
                error(ex, Reply.of(result, raw));
            }
            case CreateAccountResult.NoMatchingToken n -> {
                LOG.error("account creation failed: {}", n);
                error(ex, Reply.of(result, raw));
            }
        }
    }

    /** What came with a creation request besides its headers. */
    private enum Body {
        /** No body, or one within {@link #MAX_BODY}, read whole. */
        FINE,
        /** Over {@link #MAX_BODY}, declared or sent chunked. */
        TOO_LARGE,
        /** Cut off or malformed: the request never arrived whole, so no account is created for it. */
        BROKEN
    }

    /**
     * Reads the request's body, if it has one, before anything is created: a request whose body
     * is cut off (a client that went away, a malformed chunk) was never a whole request and gets no
     * account that nobody would receive. Up to {@link #DRAIN_LIMIT} bytes are read and thrown away
     * (the endpoint ignores bodies), so that a 413 reaches the client instead of a reset; reads stay
     * below Undertow's own limit, which would print a stack trace of its own.
     */
    private static Body readBody(HttpServerExchange ex) {
        long declared = ex.getRequestContentLength();
        boolean chunked = declared < 0 && ex.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
        if (declared <= 0 && !chunked) {
            return Body.FINE;
        }
        if (declared > DRAIN_LIMIT) {
            ex.setPersistent(false);
            return Body.TOO_LARGE;
        }
        byte[] buffer = new byte[8192];
        long total = 0;
        try {
            InputStream in = ex.getInputStream();
            for (int n; total <= DRAIN_LIMIT && (n = in.read(buffer)) != -1; ) {
                total += n;
            }
        } catch (IOException e) {
            LOG.debug("request body not read whole: {}", e.toString());
            return Body.BROKEN;
        }
        if (declared > 0 && total < declared) {
            return Body.BROKEN;
        }
        if (total > DRAIN_LIMIT) {
            ex.setPersistent(false); // the rest stays unread: close after the answer
        }
        return total > MAX_BODY ? Body.TOO_LARGE : Body.FINE;
    }

    private void page(HttpServerExchange ex) {
        Optional<String> raw;
        try {
            raw = Query.single(Query.values(ex.getQueryString(), "t"));
        } catch (Query.MalformedException e) {
            raw = Optional.empty();
        }
        String client = ex.getAttachment(CLIENT);
        if (raw.isPresent()) {
            Optional<Duration> guessing = invalidTokenLimiter.exhaustedFor(client);
            if (guessing.isPresent()) { // the page must not be a way around the guessing limit
                error(ex, Reply.invalidTokens(guessing.get()));
                return;
            }
        }
        Optional<Token> token = raw.flatMap(r -> {
            try {
                return storage.findToken(new TokenSecret(r));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
        if (raw.isPresent() && token.isEmpty()) {
            invalidTokenLimiter.tryAcquire(client);
        }
        ex.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        ex.getResponseHeaders()
                .put(
                        io.undertow.util.HttpString.tryFromString("Content-Security-Policy"),
                        "default-src 'none'; img-src data:; style-src 'unsafe-inline'");
        ex.getResponseHeaders().put(io.undertow.util.HttpString.tryFromString("Referrer-Policy"), "no-referrer");
        if (token.isPresent()) {
            ex.putAttachment(OUTCOME, "page");
            send(ex, 200, "text/html; charset=utf-8", TokenPage.valid(token.get(), settings));
        } else {
            ex.putAttachment(OUTCOME, "page_invalid");
            send(ex, raw.isPresent() ? 403 : 404, "text/html; charset=utf-8", TokenPage.invalid());
        }
    }

    private void health(HttpServerExchange ex) {
        HealthCheck.Status s = health.check();
        ObjectNode o = json.createObjectNode();
        o.put("status", s.ok() ? "ok" : "failing");
        o.put("storage", s.storage());
        o.put("mailcow", s.mailcow());
        o.put("started", startedAt.toString());
        send(ex, s.ok() ? 200 : 503, "application/json", o.toString());
    }

    private void metrics(HttpServerExchange ex) {
        // Prune runs in other processes (cron, systemd): its count comes from the audit log.
        pruned.register(
                storage.countAudit("account.pruned").entrySet().stream()
                        .map(e -> MultiGauge.Row.of(Tags.of("token", e.getKey().value()), e.getValue()))
                        .toList(),
                true);
        send(ex, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
    }

    /** Per-token events: {@code mailadm_token_events_total{token, event, reason}}. */
    private void count(String token, String event, String reason) {
        counters.computeIfAbsent(
                        token + '\u0000' + event + '\u0000' + reason,
                        k -> Counter.builder("mailadm.token.events")
                                .description("Per-token account events")
                                .tag("token", token)
                                .tag("event", event)
                                .tag("reason", reason)
                                .register(registry))
                .increment();
    }

    private void error(HttpServerExchange ex, Reply reply) {
        ex.putAttachment(OUTCOME, reply.outcome());
        if (reply.retryAfterSeconds() > 0) {
            ex.getResponseHeaders().put(Headers.RETRY_AFTER, reply.retryAfterSeconds());
        }
        ObjectNode o = json.createObjectNode();
        o.put("type", "error");
        o.put("status_code", reply.status());
        o.put("reason", reply.reason());
        send(ex, reply.status(), "application/json", o.toString());
    }

    private static void send(HttpServerExchange ex, int status, String type, String body) {
        if (ex.isResponseStarted() || !ex.getConnection().isOpen()) {
            // the client went away, or the server stopped it at shutdown: nobody to answer
            LOG.debug("no answer sent: the connection is closed");
            return;
        }
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
        ex.getResponseSender().send(body, StandardCharsets.UTF_8);
    }

    /** A path without its trailing slash ("/" stays "/"). */
    static String normalize(String path) {
        if (path == null || path.isEmpty()) {
            return "/";
        }
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 100; i++) {
            char c = s.charAt(i);
            sb.append(c > ' ' && c < 0x7f && c != '"' ? c : '?');
        }
        return sb.toString();
    }

    Settings settings() {
        return settings;
    }

    MailProvider provider() {
        return provider;
    }
}
