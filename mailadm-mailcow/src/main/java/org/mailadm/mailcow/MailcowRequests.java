package org.mailadm.mailcow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Objects;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.port.MailProviderUnavailableException;

/**
 * The requests of the mailcow adapter: one {@link HttpClient} (HTTP/1.1, no redirects, no cookie
 * handler), paths resolved against the endpoint {@code …/api/v1/}, the {@code X-API-Key} and {@code
 * Accept: application/json} headers, JSON bodies with {@code Content-Type: application/json} (without
 * it mailcow ignores the body, {@code shared/contracts/mailcow-api.md} §1), and a timeout per request.
 *
 * <p>Transport failures throw {@link MailProviderUnavailableException}: a refused or unresolved
 * connection and a connect timeout as "not applied", a request timeout or a broken connection as an
 * unknown outcome when the request {@code mayApply} a change. Messages name the endpoint, never the
 * key. Thread-safe.
 */
final class MailcowRequests implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final ApiKey key;
    private final MailcowOptions options;
    private final HttpClient client;

    /** The endpoint gets a trailing {@code /} if it lacks one, so that paths resolve below it. */
    MailcowRequests(URI endpoint, ApiKey key, MailcowOptions options) {
        String base = endpoint.toString();
        this.endpoint = URI.create(base.endsWith("/") ? base : base + "/");
        this.key = Objects.requireNonNull(key, "key == null");
        this.options = Objects.requireNonNull(options, "options == null");
        // No cookie handler: mailcow's MCSESSID session must not carry authentication between calls.
        HttpClient.Builder client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER);
        if ("http".equalsIgnoreCase(this.endpoint.getScheme())) {
            // Plain HTTP (mailcow's nginx on the same host) never uses TLS, and redirects are not
            // followed: skip loading the default context and its CA store, a tenth of a CLI command.
            client.sslContext(NoTls.CONTEXT);
        }
        this.client = client.build();
    }

    URI endpoint() {
        return endpoint;
    }

    MailcowOptions options() {
        return options;
    }

    /** {@code GET path}; the body of a 200 answer, see {@link MailcowAnswers#checked}. */
    String get(String path, Duration timeout) {
        return text(getRequest(path, timeout), path, false);
    }

    /** {@code POST path} with a JSON body; the body of a 200 answer, see {@link MailcowAnswers#checked}. */
    String post(String path, JsonNode body, Duration timeout, boolean mayApply) {
        return text(postRequest(path, body, timeout), path, mayApply);
    }

    private String text(HttpRequest req, String what, boolean mayApply) {
        HttpResponse<String> resp = send(req, what, mayApply, HttpResponse.BodyHandlers.ofString());
        return MailcowAnswers.checked(resp.statusCode(), resp.body() == null ? "" : resp.body(), what, mayApply);
    }

    HttpRequest getRequest(String path, Duration timeout) {
        return base(path, timeout).GET().build();
    }

    HttpRequest postRequest(String path, JsonNode body, Duration timeout) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return base(path, timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private HttpRequest.Builder base(String path, Duration timeout) {
        return HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(timeout)
                .header("X-API-Key", key.value())
                .header("Accept", "application/json");
    }

    /**
     * Sends a request; {@code what} names it in messages.
     *
     * @throws MailProviderUnavailableException when no answer came; outcome unknown if {@code
     *     mayApply} and the request may have reached mailcow
     */
    <T> HttpResponse<T> send(HttpRequest req, String what, boolean mayApply, HttpResponse.BodyHandler<T> handler) {
        try {
            return client.send(req, handler);
        } catch (HttpConnectTimeoutException e) {
            throw new MailProviderUnavailableException(
                    "mailcow at " + endpoint + " did not accept a connection within "
                            + options.connectTimeout().toSeconds() + " s",
                    false,
                    e);
        } catch (HttpTimeoutException e) {
            throw new MailProviderUnavailableException("mailcow did not answer " + what + " in time", mayApply, e);
        } catch (ConnectException | UnresolvedAddressException e) {
            throw new MailProviderUnavailableException(
                    "cannot connect to mailcow at " + endpoint + " ("
                            + e.getClass().getSimpleName() + ")",
                    false,
                    e);
        } catch (IOException e) {
            Throwable c = e.getCause();
            if (c instanceof ConnectException || c instanceof UnresolvedAddressException) {
                throw new MailProviderUnavailableException("cannot connect to mailcow at " + endpoint, false, e);
            }
            throw new MailProviderUnavailableException(
                    "the connection to mailcow broke during " + what + ": " + e.getMessage(), mayApply, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailProviderUnavailableException("interrupted while waiting for mailcow", mayApply, e);
        }
    }

    /** Stops the HTTP client, waiting up to 1 s; see {@link MailcowMailProvider#close()}. */
    @Override
    public void close() {
        client.shutdownNow();
        try {
            client.awaitTermination(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
