package org.mailadm.testing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.BufferedOutputStream;
import java.io.IOException;

/**
 * One answer of the fake mailcow: a status and a body, or (for listings) a writer that streams the
 * body. Always {@code Content-Type: application/json}, as mailcow's {@code json_api.php} sends even
 * for bodies that are not JSON ({@code shared/contracts/mailcow-api.md} §1).
 */
record FakeMailcowAnswer(int status, String body, BodyWriter writer) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** A read-only key, or none, on add/edit/delete (contract §2), slashes escaped as PHP does. */
    static final FakeMailcowAnswer READ_WRITE_DENIED =
            new FakeMailcowAnswer(403, "{\"type\":\"error\",\"msg\":\"API read\\/write access denied\"}");

    /** Writes a streamed body. */
    @FunctionalInterface
    interface BodyWriter {
        void write(JsonGenerator g) throws IOException;
    }

    FakeMailcowAnswer(int status, String body) {
        this(status, body, null);
    }

    /** mailcow's single-object framework error: {@code {"type":"error","msg":msg}}. */
    static FakeMailcowAnswer error(int status, String msg) {
        ObjectNode o = F.objectNode().put("type", "error").put("msg", msg);
        return new FakeMailcowAnswer(status, o.toString());
    }

    /** 200 with an array of status entries (contract §3). */
    static FakeMailcowAnswer entries(ObjectNode... entries) {
        ArrayNode a = F.arrayNode();
        for (ObjectNode e : entries) {
            a.add(e);
        }
        return new FakeMailcowAnswer(200, a.toString());
    }

    /** Sends this answer on the exchange. */
    void writeTo(HttpServerExchange ex) throws IOException {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        if (writer == null) {
            ex.getResponseSender().send(body);
            return;
        }
        ex.startBlocking();
        // Listings are written compact, unlike mailcow's pretty print: whitespace is not part of
        // the contract, and 100,000 mailboxes are 100 MB either way.
        try (JsonGenerator g =
                JSON.getFactory().createGenerator(new BufferedOutputStream(ex.getOutputStream(), 1 << 16))) {
            writer.write(g);
        }
    }
}
