package org.mailadm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.port.MailProvider;
import org.mailadm.mailcow.MailcowMailProvider;
import org.mailadm.mailcow.MailcowOptions;
import org.mailadm.testing.FakeMailProvider;
import org.mailadm.testing.MailProviderContract;

/**
 * The demo's mailcow-compatible API passes the mail-provider contract when the real mailcow adapter
 * talks to it over HTTP, and answers hostile requests in mailcow's error shape.
 */
class MailcowApiTest extends MailProviderContract {
    private static final String KEY = "DEMO0123456789ABCDEF0123456789AB";

    private FakeMailProvider fake;
    private MailcowApi api;
    private MailcowMailProvider adapter;

    @Override
    protected MailProvider createProvider() {
        fake = new FakeMailProvider("example.org");
        api = MailcowApi.start(fake, KEY, 0);
        adapter = new MailcowMailProvider(api.endpoint(), new ApiKey(KEY), MailcowOptions.DEFAULTS);
        return adapter;
    }

    @Override
    protected void simulateLogin(EmailAddress address, Instant when) {
        fake.setLastLogin(address, when);
    }

    @AfterEach
    void stop() {
        adapter.close();
        api.close();
    }

    private HttpResponse<String> send(String method, String route, String key, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api.endpoint() + route))
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void hostileRequests_getMailcowsErrorShape_andChangeNothing() throws Exception {
        assertThat(send("GET", "get/mailbox/all", null, "").statusCode()).isEqualTo(401);
        assertThat(send("GET", "get/mailbox/all", "WRONG", "").statusCode()).isEqualTo(401);
        HttpResponse<String> badJson = send("POST", "add/mailbox", KEY, "{not json");
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(badJson.body()).isEqualTo("{\"type\":\"error\",\"msg\":\"bad request\"}");
        HttpResponse<String> emptyPassword = send(
                "POST",
                "add/mailbox",
                KEY,
                "{\"local_part\":\"tmp.x\",\"domain\":\"example.org\",\"password\":\"\",\"quota\":-1}");
        assertThat(emptyPassword.statusCode()).isEqualTo(400);
        assertThat(send("HEAD", "get/mailbox/all", KEY, "").statusCode()).isEqualTo(200);
        assertThat(fake.listMailboxes()).isEmpty();
    }
}
