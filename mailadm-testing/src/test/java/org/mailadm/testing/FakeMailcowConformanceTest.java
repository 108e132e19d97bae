package org.mailadm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Replays every exchange of the recorded mailcow transcript against {@link FakeMailcowServer} and
 * compares status codes and JSON bodies (whitespace and key order ignored; clock-dependent values
 * compared by type and format). The fake is only as trustworthy as this test.
 */
class FakeMailcowConformanceTest {
    private static final Pattern REQUEST = Pattern.compile("== (GET|POST) (\\S+)\\s+(?:body=(.*) )?-> HTTP (\\d+)");
    private static final Set<String> CLOCK_FIELDS = Set.of("created", "modified", "passwd_update");
    private static final Pattern DB_TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d");
    private static final ObjectMapper JSON = new ObjectMapper();

    record Exchange(List<String> notes, String method, String path, String body, int status, String response) {}

    static List<Exchange> parse() throws IOException {
        String text;
        try (InputStream in = FakeMailcowConformanceTest.class.getResourceAsStream("mailcow-transcript.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Exchange> out = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.startsWith("== ")) {
                Matcher m = REQUEST.matcher(line);
                assertThat(m.matches()).as("parsable: %s", line).isTrue();
                StringBuilder resp = new StringBuilder();
                while (i + 1 < lines.length && !lines[i + 1].startsWith("==") && !lines[i + 1].startsWith("#")) {
                    resp.append(lines[++i]).append('\n');
                }
                out.add(new Exchange(
                        List.copyOf(notes),
                        m.group(1),
                        m.group(2),
                        m.group(3),
                        Integer.parseInt(m.group(4)),
                        resp.toString().strip()));
                notes.clear();
            } else if (line.startsWith("#")) {
                notes.add(line);
            }
        }
        return out;
    }

    @Test
    void fakeAnswersEveryRecordedExchangeLikeTheRealMailcow() throws Exception {
        List<Exchange> exchanges = parse();
        assertThat(exchanges).hasSizeGreaterThan(50);
        HttpClient client = HttpClient.newHttpClient();
        int replayed = 0;
        try (FakeMailcowServer fake = new FakeMailcowServer().startBare()) {
            fake.addKey("FAKE00-ROROR0-000000-000000-000002", "ro", List.of(), true);
            fake.addKey("FAKE00-IPIPIP-000000-000000-000003", "rw", List.of("10.0.0.1"), false);
            for (Exchange x : exchanges) {
                String notes = String.join("\n", x.notes());
                if (x.path().equals("/api/v1/add/domain")) {
                    // not part of what the fake serves: set the recorded domain up directly
                    fake.addDomain("example.org", 3, 50, 100, 250);
                    continue;
                }
                if (notes.contains("sasl_log rows for m3@example.org")) {
                    fake.setLastImapLogin(
                            "m3@example.org",
                            Instant.parse("2026-11-21T11:00:00Z").getEpochSecond());
                    fake.setLastSmtpLogin(
                            "m3@example.org",
                            Instant.parse("2026-11-22T12:00:00Z").getEpochSecond());
                }
                HttpRequest.Builder req =
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fake.port() + x.path()));
                if (notes.contains("no X-API-Key header")) {
                    // none
                } else if (notes.contains("WRONG-KEY")) {
                    req.header("X-API-Key", "WRONG-KEY");
                } else if (notes.contains("READ-ONLY")) {
                    req.header("X-API-Key", "FAKE00-ROROR0-000000-000000-000002");
                } else if (notes.contains("allowed IPs do not include")) {
                    req.header("X-API-Key", "FAKE00-IPIPIP-000000-000000-000003");
                } else {
                    req.header("X-API-Key", FakeMailcowServer.RW_KEY);
                }
                if (x.body() != null) {
                    req.header("Content-Type", "application/json");
                    req.method(x.method(), HttpRequest.BodyPublishers.ofString(x.body()));
                } else {
                    req.method(x.method(), HttpRequest.BodyPublishers.noBody());
                }
                HttpResponse<String> resp = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
                String what = x.method() + " " + x.path() + (x.body() == null ? "" : " " + x.body());
                assertThat(resp.statusCode()).as("status of %s", what).isEqualTo(x.status());
                if (x.response().isEmpty()) {
                    assertThat(resp.body()).as("body of %s", what).isEmpty();
                } else {
                    assertSameJson(what, "", JSON.readTree(x.response()), JSON.readTree(resp.body()));
                }
                replayed++;
            }
        }
        assertThat(replayed).isEqualTo(exchanges.size() - 1);
    }

    private static void assertSameJson(String what, String where, JsonNode expected, JsonNode actual) {
        assertThat(actual.getNodeType()).as("%s: type at %s", what, where).isEqualTo(expected.getNodeType());
        if (expected.isObject()) {
            List<String> names = new ArrayList<>();
            expected.fieldNames().forEachRemaining(names::add);
            List<String> actualNames = new ArrayList<>();
            actual.fieldNames().forEachRemaining(actualNames::add);
            assertThat(actualNames).as("%s: keys at %s", what, where).containsExactlyInAnyOrderElementsOf(names);
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode a = actual.get(e.getKey());
                if (CLOCK_FIELDS.contains(e.getKey())) {
                    assertThat(a.asText())
                            .as("%s: format of %s%s", what, where, e.getKey())
                            .matches(DB_TIME);
                } else {
                    assertSameJson(what, where + "." + e.getKey(), e.getValue(), a);
                }
            }
        } else if (expected.isArray()) {
            assertThat(actual.size()).as("%s: size at %s", what, where).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertSameJson(what, where + "[" + i + "]", expected.get(i), actual.get(i));
            }
        } else {
            assertThat(actual).as("%s: value at %s", what, where).isEqualTo(expected);
        }
    }
}
