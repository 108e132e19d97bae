package org.mailadm.mailcow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads mailcow's answer to {@code delete/mailbox}: an array of {@code {"type", "log", "msg"}}
 * entries in which every {@code log} echoes the whole batch, so the answer grows with the square of
 * the batch (≈ 1.5 MB for 250 addresses). Only {@code type} and {@code msg} matter; the bytes of
 * every other value are stepped over without being tokenised, which is what makes a 100,000-account
 * prune fast.
 */
final class DeleteAnswer {
    /** One entry: its type and its msg (a string, or the strings of an array). */
    record Entry(String type, List<String> msg) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] b;
    private int i;

    private DeleteAnswer(byte[] body) {
        this.b = body;
    }

    /**
     * The entries of an answer that starts with {@code [}.
     *
     * @throws IOException when the bytes are not such an answer
     */
    static List<Entry> entries(byte[] body) throws IOException {
        try {
            return new DeleteAnswer(body).read();
        } catch (IndexOutOfBoundsException e) {
            throw new IOException("truncated answer", e);
        }
    }

    private List<Entry> read() throws IOException {
        List<Entry> out = new ArrayList<>();
        expect('[');
        ws();
        if (b[i] == ']') {
            return out;
        }
        while (true) {
            out.add(entry());
            ws();
            if (b[i] == ',') {
                i++;
                continue;
            }
            expect(']');
            ws();
            if (i != b.length) {
                throw new IOException("data after the answer");
            }
            return out;
        }
    }

    private Entry entry() throws IOException {
        expect('{');
        String type = "";
        List<String> msg = new ArrayList<>();
        ws();
        if (b[i] == '}') {
            i++;
            return new Entry(type, msg);
        }
        while (true) {
            ws();
            if (b[i] != '"') {
                throw new IOException("a key was expected at byte " + i);
            }
            int keyEnd = stringEnd(i);
            String key = new String(b, i + 1, keyEnd - i - 1, java.nio.charset.StandardCharsets.UTF_8);
            i = keyEnd + 1;
            expect(':');
            ws();
            int start = i;
            skipValue();
            if (key.equals("type")) {
                type = parse(start).asText("");
            } else if (key.equals("msg")) {
                JsonNode m = parse(start);
                if (m.isArray()) {
                    m.forEach(x -> msg.add(x.asText("")));
                } else {
                    msg.add(m.asText(""));
                }
            }
            ws();
            if (b[i] == ',') {
                i++;
                continue;
            }
            expect('}');
            return new Entry(type, msg);
        }
    }

    private JsonNode parse(int start) throws IOException {
        return JSON.readTree(b, start, i - start);
    }

    /** Steps over one JSON value starting at {@code i}, leaving {@code i} just after it. */
    private void skipValue() throws IOException {
        byte c = b[i];
        if (c == '"') {
            i = stringEnd(i) + 1;
        } else if (c == '[' || c == '{') {
            int depth = 0;
            do {
                c = b[i];
                if (c == '"') {
                    i = stringEnd(i);
                } else if (c == '[' || c == '{') {
                    depth++;
                } else if (c == ']' || c == '}') {
                    depth--;
                }
                i++;
            } while (depth > 0);
        } else {
            int start = i;
            while (c != ',' && c != '}' && c != ']' && c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                c = b[++i];
            }
            if (i == start) {
                throw new IOException("a value was expected at byte " + i);
            }
        }
    }

    /** The index of the quote that closes the string opening at {@code at}. */
    private int stringEnd(int at) {
        int j = at + 1;
        while (b[j] != '"') {
            j += b[j] == '\\' ? 2 : 1;
        }
        return j;
    }

    private void ws() {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
    }

    private void expect(char c) throws IOException {
        ws();
        if (b[i] != c) {
            throw new IOException("'" + c + "' was expected at byte " + i);
        }
        i++;
    }
}
