package org.mailadm.http;

import static org.mailadm.http.Exchanges.CLIENT;
import static org.mailadm.http.Exchanges.OUTCOME;
import static org.mailadm.http.Exchanges.error;
import static org.mailadm.http.Exchanges.send;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.time.Duration;
import java.util.Optional;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.TokenStore;
import org.mailadm.core.token.Token;
import org.mailadm.core.token.TokenSecret;

/**
 * {@code GET} (and {@code HEAD}) on the creation paths: a small page for a browser that opened a
 * token URL, with an "Open in Delta Chat" link and the QR code. Never creates an account; a guessed
 * token counts towards the guessing limit like a {@code POST}.
 */
final class TokenPageHandler implements HttpHandler {
    private final TokenStore storage;
    private final Settings settings;
    private final RateLimiter invalidTokenLimiter;

    TokenPageHandler(TokenStore storage, Settings settings, RateLimiter invalidTokenLimiter) {
        this.storage = storage;
        this.settings = settings;
        this.invalidTokenLimiter = invalidTokenLimiter;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
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
}
