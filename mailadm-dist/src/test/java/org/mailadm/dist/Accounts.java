package org.mailadm.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.mailadm.testing.FakeMailcowServer;

/** What the integration tests do as Delta Chat and as the operator. */
final class Accounts {
    private Accounts() {}

    /** POSTs to a token URL as Delta Chat does; expects 200 and returns the JSON (email, password). */
    static JsonNode create(String tokenUrl) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(tokenUrl))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return new ObjectMapper().readTree(r.body());
        }
    }

    /** The secret from {@code mailadm add-token}'s output (its {@code token = ...} line). */
    static String secretFrom(String addTokenOutput) {
        return addTokenOutput
                .lines()
                .filter(l -> l.startsWith("  token = "))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no token line in:\n" + addTokenOutput))
                .substring("  token = ".length());
    }

    /** {@code [before...] init ...} with the example settings, against this fake mailcow. */
    static String[] initArgs(FakeMailcowServer mailcow, String... before) {
        List<String> args = new ArrayList<>(List.of(before));
        args.addAll(List.of(
                "init",
                "--web-endpoint",
                "https://mailadm.example.org/new_email",
                "--mail-domain",
                "example.org",
                "--mailcow-endpoint",
                mailcow.endpoint().toString(),
                "--mailcow-token",
                FakeMailcowServer.RW_KEY));
        return args.toArray(String[]::new);
    }
}
