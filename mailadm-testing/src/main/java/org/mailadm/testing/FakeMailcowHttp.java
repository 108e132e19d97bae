package org.mailadm.testing;

import static org.mailadm.testing.FakeMailcowAnswer.error;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailadm.testing.FakeMailcowServer.Fault;

/**
 * The fake mailcow's HTTP layer: Undertow on 127.0.0.1, requests routed as mailcow's {@code
 * json_api.php} routes {@code /api/v1/{action}/{category}/{object}/{extra}}, with its key, method
 * and body checks in its order ({@code shared/contracts/mailcow-api.md} §1-2), the fault modes met
 * before a request is carried out, and requests counted per endpoint and while in flight.
 */
final class FakeMailcowHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/api/v1/";

    private final FakeMailcowState state;
    private final FakeMailcowFaults faults;
    private final FakeMailcowWrites writes;
    private final FakeMailcowReads reads;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private Undertow server;

    FakeMailcowHttp(FakeMailcowState state, FakeMailcowFaults faults) {
        this.state = state;
        this.faults = faults;
        this.writes = new FakeMailcowWrites(state, faults);
        this.reads = new FakeMailcowReads(state, faults);
    }

    /** Starts listening on 127.0.0.1 ({@code port} 0 for a random one); returns the port. */
    int start(int port) {
        server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setWorkerThreads(256)
                .setHandler(new BlockingHandler(this::handle))
                .build();
        server.start();
        return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Requests seen for an endpoint such as {@code "add/mailbox"}. */
    int requests(String endpoint) {
        AtomicInteger n = counts.get(endpoint);
        return n == null ? 0 : n.get();
    }

    int totalRequests() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /** Waits until no request is being handled; false if some still were after the timeout. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (inFlight) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                inFlight.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    private void handle(HttpServerExchange ex) throws Exception {
        inFlight.incrementAndGet();
        try {
            handleCounted(ex);
        } finally {
            synchronized (inFlight) {
                inFlight.decrementAndGet();
                inFlight.notifyAll();
            }
        }
    }

    private void handleCounted(HttpServerExchange ex) throws Exception {
        CountDownLatch hang = faults.hangRelease();
        if (hang.getCount() > 0) {
            countRequest(ex.getRequestPath());
            hang.await();
            ex.getConnection().close();
            return;
        }
        Optional<Fault> fault = faults.next();
        faults.delay();
        String path = ex.getRequestPath();
        countRequest(path);
        if (fault.isPresent()) {
            faults.meet(fault.get(), ex, () -> answer(ex, path));
            return;
        }
        answer(ex, path).writeTo(ex);
    }

    private void countRequest(String path) {
        if (path.startsWith(API)) {
            String[] parts = path.substring(API.length()).split("/", -1);
            if (parts.length >= 2) {
                counts.computeIfAbsent(parts[0] + "/" + parts[1], k -> new AtomicInteger())
                        .incrementAndGet();
            }
        }
    }

    private FakeMailcowAnswer answer(HttpServerExchange ex, String rawPath) throws IOException {
        if (!rawPath.startsWith(API)) {
            return error(404, "route not found");
        }
        // nginx hands the decoded path to PHP, which decodes it again.
        String path = URLDecoder.decode(rawPath.substring(API.length()), StandardCharsets.UTF_8);
        String[] parts = path.split("/", -1);
        String action = parts[0];
        String category = parts.length > 1 ? parts[1] : "";
        String object = parts.length > 2 ? parts[2] : "";
        String extra = parts.length > 3 ? parts[3] : "";
        boolean write = action.equals("add") || action.equals("edit") || action.equals("delete");

        String key = ex.getRequestHeaders().getFirst("X-API-Key");
        key = key == null ? "" : key.replaceAll("[^a-zA-Z0-9-]", "").toUpperCase(Locale.ROOT);
        if (key.isEmpty()) {
            return action.equals("get") || action.equals("add")
                    ? new FakeMailcowAnswer(200, "")
                    : FakeMailcowAnswer.READ_WRITE_DENIED;
        }
        FakeMailcowState.Key k = state.key(key);
        if (k == null) {
            return error(401, "authentication failed");
        }
        String ip = ex.getSourceAddress().getAddress().getHostAddress();
        if (!k.skipIpCheck() && !k.allowFrom().contains(ip)) {
            return error(401, "api access denied for ip " + ip);
        }
        if (write && !k.access().equals("rw")) {
            return FakeMailcowAnswer.READ_WRITE_DENIED;
        }

        JsonNode body = null;
        String method = ex.getRequestMethod().toString();
        if (!method.equals("GET")) {
            String ct = ex.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
            ex.startBlocking();
            byte[] raw = ex.getInputStream().readAllBytes();
            if (ct != null && ct.contains("application/json")) {
                try {
                    body = JSON.readTree(raw);
                } catch (JsonProcessingException e) {
                    body = null;
                }
                if (body == null) {
                    return error(400, "Request body doesn't contain valid json!");
                }
            }
        }
        if (write) {
            if (body == null) {
                return error(200, "Cannot find attributes in post data");
            }
            if (!method.equals("POST")) {
                return error(405, "only POST method is allowed");
            }
        } else if (action.equals("get") && !method.equals("GET")) {
            return error(405, "only GET method is allowed");
        }
        return route(action + "/" + category, body, object, extra, ex.getQueryString());
    }

    private FakeMailcowAnswer route(String route, JsonNode body, String object, String extra, String query)
            throws IOException {
        Duration perDeletion = faults.deleteLatency();
        if (route.equals("delete/mailbox") && !perDeletion.isZero()) {
            // Each deletion takes its time outside the lock, and goes on after the client gave up.
            return writes.delete(body, u -> {
                try {
                    // the time one deletion takes; ends at once when the fake closes
                    faults.pause(perDeletion);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return state.remove(u);
            });
        }
        synchronized (state) {
            return switch (route) {
                case "add/mailbox" -> writes.add(body);
                case "delete/mailbox" -> writes.delete(body, state::remove);
                case "edit/mailbox" -> writes.edit(body);
                case "get/mailbox" -> reads.get(object, extra, tagsParam(query));
                default -> error(404, "route not found");
            };
        }
    }

    /** The tags of {@code ?tags=t1,t2}; null without that parameter. */
    private static List<String> tagsParam(String query) {
        if (query == null) {
            return null;
        }
        for (String p : query.split("&")) {
            if (p.startsWith("tags=")) {
                List<String> tags = new ArrayList<>();
                for (String t : URLDecoder.decode(p.substring(5), StandardCharsets.UTF_8)
                        .split(",")) {
                    if (!t.isBlank()) {
                        tags.add(t.trim());
                    }
                }
                return tags;
            }
        }
        return null;
    }
}
