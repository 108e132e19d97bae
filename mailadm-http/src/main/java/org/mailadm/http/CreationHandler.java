package org.mailadm.http;

import static org.mailadm.http.Exchanges.CLIENT;
import static org.mailadm.http.Exchanges.JSON;
import static org.mailadm.http.Exchanges.OUTCOME;
import static org.mailadm.http.Exchanges.TOKEN;
import static org.mailadm.http.Exchanges.error;
import static org.mailadm.http.Exchanges.send;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mailadm.core.account.AccountCreation;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailProviderHeldBackException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;

/**
 * {@code POST /} and {@code POST <path of WEB_ENDPOINT>}: reads the body whole (a request that never
 * arrives whole gets no account), checks the query and the rate limits, creates the account and
 * answers Delta Chat's JSON. Every outcome maps to an answer in {@link Reply}; per-token events go to
 * {@code mailadm_token_events_total}.
 */
final class CreationHandler implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(MailadmServer.class);
    /** The endpoint expects an empty body; a larger one than this gets 413. */
    static final long MAX_BODY = 64 * 1024;
    /**
     * A body up to this size is read and thrown away before the 413 goes out. Closing a socket with
     * unread bytes makes the kernel send a reset, which can destroy the answer before the client
     * reads it; draining first means the client sees the 413 and its reason.
     */
    static final long DRAIN_LIMIT = 1024 * 1024;

    private final AccountCreation creation;
    private final RateLimiter createLimiter;
    private final RateLimiter invalidTokenLimiter;
    private final MeterRegistry registry;
    /** Counters built once each; a token name cannot contain NUL, so the keys never collide. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    CreationHandler(
            AccountCreation creation,
            RateLimiter createLimiter,
            RateLimiter invalidTokenLimiter,
            MeterRegistry registry) {
        this.creation = creation;
        this.createLimiter = createLimiter;
        this.invalidTokenLimiter = invalidTokenLimiter;
        this.registry = registry;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
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
                ObjectNode o = JSON.createObjectNode();
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
}
