package org.mailadm.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.account.Password;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;
import org.mailadm.core.port.NewMailbox;
import org.mailadm.core.token.TokenName;

/**
 * The part of mailcow's REST API that mailadm uses, served on the loopback interface over any
 * {@link MailProvider}: so that {@code mailadm} commands in other processes reach the demo's
 * embedded mail server through the real mailcow adapter, exactly as they reach a mailcow. Answers
 * have the shapes of the recorded transcript ({@code shared/contracts}): {@code add/mailbox} two
 * success entries or a {@code danger} entry with mailcow's message key, {@code delete/mailbox} and
 * {@code edit/mailbox} one entry per address, listings a list of mailbox objects or {@code {}}
 * when empty, 401 for another API key. Not for production: plain HTTP, one key.
 */
final class MailcowApi implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PREFIX = "/api/v1/";

    private final HttpServer server;
    private final MailProvider provider;
    private final String key;

    private MailcowApi(HttpServer server, MailProvider provider, String key) {
        this.server = server;
        this.provider = provider;
        this.key = key;
    }

    /** Serves {@code provider} on 127.0.0.1:{@code port} (0: any free port) to callers with {@code key}. */
    static MailcowApi start(MailProvider provider, String key, int port) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            MailcowApi api = new MailcowApi(server, provider, key);
            server.createContext(PREFIX, api::handle);
            // one virtual thread per request: a slow or half-sent request holds back no other
            server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return api;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint to give {@code mailadm init --mailcow-endpoint}. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PREFIX);
    }

    /** The largest request body read; mailadm's largest (a deletion batch) is far smaller. */
    private static final int MAX_BODY = 1 << 20;

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 200;
            String answer;
            if (!key.equals(exchange.getRequestHeaders().getFirst("X-API-Key"))) {
                status = 401;
                answer = "{\"type\":\"error\",\"msg\":\"authentication failed\"}";
            } else {
                try {
                    String route = exchange.getRequestURI().getPath().substring(PREFIX.length());
                    byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY);
                    answer = answer(exchange.getRequestMethod(), route, body);
                } catch (IOException | RuntimeException e) {
                    // bad JSON or values the provider refuses: mailcow's error shape, no trace
                    status = 400;
                    answer = "{\"type\":\"error\",\"msg\":\"bad request\"}";
                }
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
        }
    }

    private String answer(String method, String route, byte[] body) throws IOException {
        if (method.equals("GET") && route.startsWith("get/mailbox/")) {
            String which = route.substring("get/mailbox/".length());
            if (which.equals("all") || which.startsWith("all/") || which.startsWith("reduced")) {
                ArrayNode all = JSON.createArrayNode();
                provider.listMailboxes().forEach(m -> all.add(mailbox(m)));
                return all.isEmpty() ? "{}" : all.toString();
            }
            Optional<Mailbox> one = address(which).flatMap(provider::findMailbox);
            return one.map(m -> mailbox(m).toString()).orElse("{}");
        }
        if (!method.equals("POST")) {
            return "{\"type\":\"error\",\"msg\":\"route not found\"}";
        }
        JsonNode request = JSON.readTree(body);
        return switch (route) {
            case "add/mailbox" -> add(request).toString();
            case "delete/mailbox" -> delete(request);
            case "edit/mailbox" -> edit(request).toString();
            default -> "{\"type\":\"error\",\"msg\":\"route not found\"}";
        };
    }

    private ArrayNode add(JsonNode request) {
        String address = request.path("local_part").asText() + "@"
                + request.path("domain").asText();
        ArrayNode answer = JSON.createArrayNode();
        Optional<EmailAddress> parsed = address(address);
        if (parsed.isEmpty()) {
            answer.add(entry("danger", "mailbox_invalid", address));
            return answer;
        }
        String tag = request.path("tags").path(0).asText("");
        TokenName token = new TokenName(tag.startsWith("mailadm:") ? tag.substring("mailadm:".length()) : "demo");
        CreateMailboxResult result = provider.createMailbox(new NewMailbox(
                parsed.get(),
                new Password(request.path("password").asText()),
                token,
                request.path("quota").asLong(0)));
        switch (result) {
            case CreateMailboxResult.Created c -> {
                answer.add(entry("success", "rl_saved", address));
                answer.add(entry("success", "mailbox_added", address));
            }
            case CreateMailboxResult.AlreadyExists e -> answer.add(entry("danger", "object_exists", address));
            case CreateMailboxResult.Rejected r -> answer.add(entry("danger", messageKey(r.reason()), address));
        }
        return answer;
    }

    /** mailcow's message key for each refusal ({@code functions.mailbox.inc.php}). */
    private static String messageKey(CreateMailboxResult.Reason reason) {
        return switch (reason) {
            case DOMAIN_NOT_MANAGED -> "domain_not_found";
            case PASSWORD_REJECTED -> "password_complexity";
            case QUOTA_ABOVE_MAXIMUM -> "mailbox_quota_exceeded";
            case LIMIT_REACHED -> "max_mailbox_exceeded";
            case INVALID_ADDRESS -> "mailbox_invalid";
            case OTHER -> "mysql_error";
        };
    }

    private String delete(JsonNode request) {
        List<EmailAddress> addresses = new ArrayList<>();
        request.forEach(a -> address(a.asText()).ifPresent(addresses::add));
        if (addresses.isEmpty()) {
            return "{\"type\":\"success\",\"msg\":\"Task completed\"}"; // mailcow's answer to [] (health check)
        }
        ArrayNode answer = JSON.createArrayNode();
        for (MailboxDeletion d : provider.deleteMailboxes(addresses)) {
            answer.add(
                    d.deleted()
                            ? entry("success", "mailbox_removed", d.address().toString())
                            : entry("danger", "access_denied", d.address().toString()));
        }
        return answer.toString();
    }

    private ArrayNode edit(JsonNode request) {
        boolean active = request.path("attr").path("active").asInt(1) != 0;
        ArrayNode answer = JSON.createArrayNode();
        request.path("items").forEach(a -> {
            boolean done = address(a.asText())
                    .map(address -> provider.setActive(address, active))
                    .orElse(false);
            answer.add(entry(done ? "success" : "danger", done ? "mailbox_modified" : "access_denied", a.asText()));
        });
        return answer;
    }

    /** The address, or empty when it is not one (mailcow answers such requests with a refusal). */
    private static Optional<EmailAddress> address(String text) {
        try {
            return Optional.of(EmailAddress.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** An entry as the transcript shows them: {@code {"type": ..., "msg": [key, address]}}. */
    private static ObjectNode entry(String type, String key, String address) {
        ObjectNode entry = JSON.createObjectNode().put("type", type);
        entry.putArray("msg").add(key).add(address);
        return entry;
    }

    /** The fields of a mailcow mailbox object that mailadm reads. */
    private static ObjectNode mailbox(Mailbox m) {
        ObjectNode o = JSON.createObjectNode();
        o.put("username", m.address().toString())
                .put("active", m.active() ? 1 : 0)
                .put("domain", m.address().domain())
                .put("local_part", m.address().localPart());
        o.put("last_imap_login", m.lastLogin().map(t -> t.getEpochSecond()).orElse(0L));
        ArrayNode tags = o.putArray("tags");
        m.tags().forEach(tags::add);
        return o;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
