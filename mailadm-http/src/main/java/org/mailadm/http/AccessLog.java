package org.mailadm.http;

import static org.mailadm.http.Exchanges.CLIENT;
import static org.mailadm.http.Exchanges.OUTCOME;
import static org.mailadm.http.Exchanges.TOKEN;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request on the {@code mailadm.access} logger, without query string, token secret,
 * password or API key ({@code 203.0.113.5 "POST /new_email" 200 41ms created token=oneday}), and the
 * count of outcomes in {@code mailadm_requests_total{outcome}}. Names the client first, for every
 * handler after it.
 */
final class AccessLog implements HttpHandler {
    private static final Logger ACCESS = LoggerFactory.getLogger("mailadm.access");

    private final ClientAddress clients;
    private final MeterRegistry registry;
    private final HttpHandler next;
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

    AccessLog(ClientAddress clients, MeterRegistry registry, HttpHandler next) {
        this.clients = clients;
        this.registry = registry;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) throws Exception {
        long start = System.nanoTime();
        ex.putAttachment(CLIENT, clients.of(ex));
        ex.addExchangeCompleteListener((done, nextListener) -> {
            long ms = (System.nanoTime() - start) / 1_000_000;
            String outcome = done.getAttachment(OUTCOME);
            String token = done.getAttachment(TOKEN);
            ACCESS.info(
                    "{} \"{} {}\" {} {}ms{}{}",
                    done.getAttachment(CLIENT),
                    done.getRequestMethod(),
                    Exchanges.printable(done.getRequestPath()),
                    done.getStatusCode(),
                    ms,
                    outcome == null ? "" : " " + outcome,
                    token == null ? "" : " token=" + token);
            if (outcome != null) {
                outcomes.computeIfAbsent(
                                outcome,
                                o -> Counter.builder("mailadm.requests")
                                        .description("Account requests by outcome")
                                        .tag("outcome", o)
                                        .register(registry))
                        .increment();
            }
            nextListener.proceed();
        });
        next.handleRequest(ex);
    }
}
