package org.mailadm.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every handler of the web API shares: the exchange's attachments and how answers are written. */
final class Exchanges {
    private static final Logger LOG = LoggerFactory.getLogger(Exchanges.class);
    static final ObjectMapper JSON = new ObjectMapper();
    /** The outcome label of a request, for the access log and {@code mailadm_requests_total}. */
    static final AttachmentKey<String> OUTCOME = AttachmentKey.create(String.class);
    /** The token a request concerned, for the access log (its name, never its secret). */
    static final AttachmentKey<String> TOKEN = AttachmentKey.create(String.class);
    /** The client's address (see {@link ClientAddress}). */
    static final AttachmentKey<String> CLIENT = AttachmentKey.create(String.class);

    private Exchanges() {}

    /** The JSON error shape Delta Chat reads ({@code reason} is shown to the user verbatim). */
    static void error(HttpServerExchange ex, Reply reply) {
        ex.putAttachment(OUTCOME, reply.outcome());
        if (reply.retryAfterSeconds() > 0) {
            ex.getResponseHeaders().put(Headers.RETRY_AFTER, reply.retryAfterSeconds());
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "error");
        o.put("status_code", reply.status());
        o.put("reason", reply.reason());
        send(ex, reply.status(), "application/json", o.toString());
    }

    /** Sends a whole answer, unless the connection is gone (client away, or cut at shutdown). */
    static void send(HttpServerExchange ex, int status, String type, String body) {
        if (ex.isResponseStarted() || !ex.getConnection().isOpen()) {
            LOG.debug("no answer sent: the connection is closed");
            return;
        }
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
        ex.getResponseSender().send(body, StandardCharsets.UTF_8);
    }

    /** A path without its trailing slashes ("/" stays "/"). */
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

    /** Printable ASCII only, at most 100 characters: for log lines and answers that echo input. */
    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length() && sb.length() < 100; i++) {
            char c = s.charAt(i);
            sb.append(c > ' ' && c < 0x7f && c != '"' ? c : '?');
        }
        return sb.toString();
    }
}
