package org.mailadm.mailcow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.inject.Inject;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.config.ApiKey;
import org.mailadm.core.config.Settings;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailProviderException.Kind;
import org.mailadm.core.port.MailProviderUnavailableException;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;
import org.mailadm.core.port.NewMailbox;
import org.mailadm.core.token.TokenLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MailProvider} on the mailcow REST API ({@code /api/v1/}), as described in
 * {@code shared/contracts/mailcow-api.md}.
 *
 * <p>Every response is read whole: success is the presence of the success entry and the absence of
 * any {@code danger} entry, never the first entry alone. {@code {}} and {@code []} both mean "none";
 * the single-mailbox GET accepts the list answer of mailcow 2022-05 by matching the username
 * exactly. An empty or non-JSON body is an error. Messages and logs never contain the API key or a
 * password. Thread-safe. {@link #close()} stops its HTTP client.
 */
public final class MailcowMailProvider implements MailProvider, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MailcowMailProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final ApiKey key;
    private final MailcowOptions options;
    private final HttpClient client;
    private final DeletionPace pace;
    /** False once this mailcow answered {@code get/mailbox/reduced} like an unknown username (before 2022-01). */
    private volatile boolean reducedListing = true;

    @Inject
    public MailcowMailProvider(Settings settings, MailcowOptions options) {
        this(settings.mailcowEndpoint(), settings.mailcowToken(), options);
    }

    public MailcowMailProvider(URI endpoint, ApiKey key, MailcowOptions options) {
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
        this.pace = new DeletionPace(options.requestTimeout(), options.deleteBatchSize());
    }

    /**
     * Stops the HTTP client and its selector thread; a request still running fails. Worth doing
     * before a JVM exits: the JVM waits up to 300 ms for threads blocked in native code, as the
     * selector is.
     */
    @Override
    public void close() {
        client.shutdownNow();
        try {
            client.awaitTermination(Duration.ofSeconds(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- create

    @Override
    public CreateMailboxResult createMailbox(NewMailbox mailbox) {
        ObjectNode attr = JSON.createObjectNode();
        attr.put("local_part", mailbox.address().localPart());
        attr.put("domain", mailbox.address().domain());
        attr.put("quota", mailbox.quotaMiB());
        attr.put("password", mailbox.password().value());
        attr.put("password2", mailbox.password().value());
        attr.put("active", 1);
        attr.put("force_pw_update", 0);
        attr.put("tls_enforce_in", 0);
        attr.put("tls_enforce_out", 0);
        attr.putArray("tags").add(Mailbox.tagFor(mailbox.token()));
        JsonNode body = tree(post("add/mailbox", attr, options.requestTimeout(), true), "add/mailbox", true);
        if (!body.isArray()) {
            throw unexpected("add/mailbox", body, false);
        }
        boolean added = false;
        JsonNode danger = null;
        for (JsonNode entry : body) {
            String type = entry.path("type").asText();
            String msg = msgKey(entry);
            if (type.equals("success") && msg.equals("mailbox_added")) {
                added = true;
            } else if (type.equals("danger") && danger == null) {
                danger = entry;
            }
        }
        if (added && danger == null) {
            return new CreateMailboxResult.Created();
        }
        if (added) {
            // mailcow #5292: an error reported although the mailbox was created. Let reconcile decide.
            throw new MailProviderException(
                    Kind.BAD_RESPONSE,
                    "mailcow reported '" + msgKey(danger) + "' but also created " + mailbox.address(),
                    true);
        }
        if (danger == null) {
            throw unexpected("add/mailbox", body, true);
        }
        String msg = msgKey(danger);
        String detail = danger.path("msg").toString();
        CreateMailboxResult rejected = switch (msg) {
            case "object_exists", "is_alias", "is_spam_alias", "aliasd_targetd_identical" ->
                new CreateMailboxResult.AlreadyExists();
            case "access_denied", "domain_not_found" ->
                new CreateMailboxResult.Rejected(CreateMailboxResult.Reason.DOMAIN_NOT_MANAGED, detail);
            case "password_complexity", "password_mismatch" ->
                new CreateMailboxResult.Rejected(CreateMailboxResult.Reason.PASSWORD_REJECTED, detail);
            case "mailbox_quota_exceeded" ->
                new CreateMailboxResult.Rejected(
                        CreateMailboxResult.Reason.QUOTA_ABOVE_MAXIMUM,
                        danger.path("msg").path(1).canConvertToLong()
                                ? "mailcow allows at most "
                                        + danger.path("msg").path(1).asLong() + " MiB per mailbox in "
                                        + mailbox.address().domain()
                                : "the quota is above mailcow's per-mailbox maximum for "
                                        + mailbox.address().domain());
            case "max_mailbox_exceeded", "mailbox_quota_left_exceeded", "unlimited_quota_acl" ->
                new CreateMailboxResult.Rejected(CreateMailboxResult.Reason.LIMIT_REACHED, detail);
            case "mailbox_invalid", "domain_invalid" ->
                new CreateMailboxResult.Rejected(CreateMailboxResult.Reason.INVALID_ADDRESS, detail);
            default -> new CreateMailboxResult.Rejected(CreateMailboxResult.Reason.OTHER, detail);
        };
        if (!(rejected instanceof CreateMailboxResult.AlreadyExists) && createdAnyway(mailbox.address(), msg)) {
            // mailcow #5292: a refusal, and the mailbox exists all the same. Whoever asked gets an error,
            // so nobody has its credentials: leave it to reconcile, which deletes it.
            throw new MailProviderException(
                    Kind.BAD_RESPONSE,
                    "mailcow reported '" + msg + "' but created " + mailbox.address() + " all the same",
                    true);
        }
        return rejected;
    }

    /** Whether a refused creation left a mailbox after all; when that cannot be asked, the outcome is unknown. */
    private boolean createdAnyway(EmailAddress address, String msg) {
        try {
            return findMailbox(address).isPresent();
        } catch (MailProviderException e) {
            throw new MailProviderException(
                    Kind.BAD_RESPONSE,
                    "mailcow reported '" + msg + "' for " + address + ", and whether it created it all the same could"
                            + " not be checked: " + e.getMessage(),
                    true,
                    e);
        }
    }

    // ---- delete

    /** Deletion batches in flight at once: mailcow works on one while mailadm reads another's answer. */
    static final int DELETE_CONCURRENCY = 3;

    /**
     * Deletes in batches sized by {@link DeletionPace}: the first call of a provider that has measured
     * nothing yet deletes one address alone, the rest follow up to three batches at a time. A batch
     * whose answer is lost (timeout, broken connection, HTTP 5xx) comes back {@link
     * MailboxDeletion.Outcome#UNKNOWN} for each of its addresses: mailcow goes on deleting after the
     * client gave up, so only a lookup tells. A rejected key or address throws, as nothing was done.
     */
    @Override
    public List<MailboxDeletion> deleteMailboxes(List<EmailAddress> addresses) {
        List<MailboxDeletion> out = new ArrayList<>(addresses.size());
        int done = 0;
        if (!pace.measured() && !addresses.isEmpty()) {
            out.addAll(deleteMeasured(addresses.subList(0, 1)));
            done = 1;
        }
        int size = pace.batchSize();
        List<List<EmailAddress>> batches = new ArrayList<>();
        for (int i = done; i < addresses.size(); i += size) {
            batches.add(addresses.subList(i, Math.min(addresses.size(), i + size)));
        }
        if (batches.size() <= 1) {
            batches.forEach(b -> out.addAll(deleteMeasured(b)));
            return out;
        }
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(DELETE_CONCURRENCY);
        List<java.util.concurrent.Future<List<MailboxDeletion>>> futures = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (List<EmailAddress> batch : batches) {
                slots.acquireUninterruptibly();
                futures.add(pool.submit(() -> {
                    try {
                        return deleteMeasured(batch);
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        RuntimeException failure = null;
        for (var f : futures) {
            try {
                out.addAll(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MailProviderException(Kind.OTHER, "interrupted while deleting mailboxes", true, e);
            }
        }
        if (failure != null) {
            throw failure; // a refusal (key, address): the caller keeps every row it could not verify
        }
        return out;
    }

    /** One batch, timed for {@link DeletionPace}; a lost answer becomes unknown outcomes. */
    private List<MailboxDeletion> deleteMeasured(List<EmailAddress> batch) {
        long start = System.nanoTime();
        try {
            List<MailboxDeletion> result = deleteBatch(batch);
            pace.answered(batch.size(), Duration.ofNanos(System.nanoTime() - start));
            return result;
        } catch (MailProviderException e) {
            if (!e.outcomeUnknown()) {
                throw e;
            }
            if (e instanceof MailProviderUnavailableException) {
                pace.timedOut(batch.size(), Duration.ofNanos(System.nanoTime() - start));
            }
            LOG.warn("mailcow's answer to deleting {} mailboxes was lost: {}", batch.size(), e.getMessage());
            return batch.stream()
                    .map(a -> MailboxDeletion.unknown(a, e.getMessage()))
                    .toList();
        }
    }

    private List<MailboxDeletion> deleteBatch(List<EmailAddress> batch) {
        ArrayNode items = JSON.createArrayNode();
        batch.forEach(a -> items.add(a.toString()));
        Duration timeout = pace.timeout(batch.size());
        HttpRequest req = base("delete/mailbox", timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(items.toString()))
                .build();
        HttpResponse<byte[]> resp = exchange(req, "delete/mailbox", true, HttpResponse.BodyHandlers.ofByteArray());
        byte[] bytes = resp.body() == null ? new byte[0] : resp.body();
        int first = 0;
        while (first < bytes.length && Character.isWhitespace(bytes[first])) {
            first++;
        }
        if (resp.statusCode() != 200 || first == bytes.length || bytes[first] != '[') {
            String body = read(resp.statusCode(), new String(bytes, StandardCharsets.UTF_8), "delete/mailbox", true);
            throw unexpected("delete/mailbox", tree(body, "delete/mailbox", true), true);
        }
        Set<String> removed = new HashSet<>();
        String failure = "mailcow did not confirm the deletion";
        List<DeleteAnswer.Entry> entries;
        try {
            entries = DeleteAnswer.entries(bytes);
        } catch (IOException e) {
            throw badJson(
                    "delete/mailbox", new String(bytes, 0, Math.min(bytes.length, 4096), StandardCharsets.UTF_8), true);
        }
        for (DeleteAnswer.Entry e : entries) {
            List<String> msg = e.msg();
            if (e.type().equals("success") && msg.size() > 1 && msg.get(0).equals("mailbox_removed")) {
                removed.add(msg.get(1).toLowerCase(Locale.ROOT));
            } else if (e.type().equals("danger")) {
                failure = "mailcow answered " + String.join(" ", msg);
            }
        }
        List<MailboxDeletion> out = new ArrayList<>(batch.size());
        for (EmailAddress a : batch) {
            out.add(removed.contains(a.toString()) ? MailboxDeletion.deleted(a) : MailboxDeletion.failed(a, failure));
        }
        return out;
    }

    // ---- edit

    @Override
    public boolean setActive(EmailAddress address, boolean active) {
        ObjectNode edit = JSON.createObjectNode();
        edit.putArray("items").add(address.toString());
        edit.putObject("attr").put("active", active ? 1 : 0);
        JsonNode body = tree(post("edit/mailbox", edit, options.requestTimeout(), true), "edit/mailbox", true);
        if (!body.isArray()) {
            throw unexpected("edit/mailbox", body, true);
        }
        boolean modified = false;
        JsonNode danger = null;
        for (JsonNode entry : body) {
            if (entry.path("type").asText().equals("success") && msgKey(entry).equals("mailbox_modified")) {
                modified = true;
            } else if (entry.path("type").asText().equals("danger") && danger == null) {
                danger = entry;
            }
        }
        if (modified && danger == null) {
            return true;
        }
        if (danger != null && msgKey(danger).equals("access_denied")) {
            // mailcow says access_denied both for "no such mailbox" and for a real refusal: ask.
            if (findMailbox(address).isEmpty()) {
                return false;
            }
            throw new MailProviderException(
                    Kind.OTHER,
                    "mailcow refused to " + (active ? "enable " : "disable ") + address + " (access_denied)",
                    false);
        }
        throw unexpected("edit/mailbox", body, true);
    }

    // ---- get

    @Override
    public Optional<Mailbox> findMailbox(EmailAddress address) {
        String path = "get/mailbox/" + TokenLinks.encode(address.toString()).replace("@", "%40");
        JsonNode body = tree(get(path, options.requestTimeout()), "get/mailbox", false);
        if (body.isObject()) {
            if (body.isEmpty()) {
                return Optional.empty();
            }
            return parse(body).filter(m -> m.address().equals(address));
        }
        if (body.isArray()) {
            // mailcow 2022-05 answered the whole list: pick the exact username.
            for (JsonNode n : body) {
                if (n.path("username").asText().equalsIgnoreCase(address.toString())) {
                    return parse(n);
                }
            }
            return Optional.empty();
        }
        throw unexpected("get/mailbox", body, false);
    }

    /**
     * Lists through {@code get/mailbox/reduced}: every key mailadm reads, without the per-mailbox sums
     * over the whole domain that make {@code get/mailbox/all} grow with the square of the domain (5.3 s
     * instead of 36–62 s at 4,570 mailboxes, contract §8.1). A mailcow older than 2022-01 takes
     * "reduced" for a username and answers {@code {}}; then, and whenever the list is empty, {@code
     * get/mailbox/all} is asked, and an old mailcow is remembered.
     */
    @Override
    public List<Mailbox> listMailboxes() {
        if (reducedListing) {
            Optional<List<Mailbox>> reduced = list("get/mailbox/reduced");
            if (reduced.isPresent()) {
                return reduced.get();
            }
        }
        Optional<List<Mailbox>> all = list("get/mailbox/all");
        if (all.isEmpty()) {
            return List.of();
        }
        if (reducedListing && !all.get().isEmpty()) {
            LOG.info("this mailcow has no get/mailbox/reduced (before 2022-01); listing with get/mailbox/all");
            reducedListing = false;
        }
        return all.get();
    }

    /** One listing; empty when mailcow answered {@code {}}. */
    private Optional<List<Mailbox>> list(String path) {
        HttpRequest req = base(path, options.listTimeout()).GET().build();
        HttpResponse<InputStream> resp = exchange(req, path, false, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream raw = resp.body()) {
            if (resp.statusCode() != 200) {
                read(
                        resp.statusCode(),
                        new String(raw.readNBytes(65_536), StandardCharsets.UTF_8),
                        "get/mailbox/all",
                        false);
            }
            PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(raw, 1 << 16), 1);
            int first;
            do {
                first = in.read();
            } while (first == ' ' || first == '\n' || first == '\r' || first == '\t');
            if (first != '[') {
                String rest = (first < 0 ? "" : String.valueOf((char) first))
                        + new String(in.readNBytes(65_536), StandardCharsets.UTF_8);
                JsonNode tree = tree(read(200, rest, "get/mailbox/all", false), "get/mailbox/all", false);
                if (tree.isObject() && tree.isEmpty()) {
                    return Optional.empty(); // mailcow's answer when there are no mailboxes
                }
                throw unexpected("get/mailbox/all", tree, false);
            }
            in.unread(first);
            return Optional.of(parseListing(in));
        } catch (HttpTimeoutException e) {
            throw new MailProviderUnavailableException("mailcow did not send the mailbox list in time", false, e);
        } catch (IOException e) {
            throw new MailProviderUnavailableException(
                    "the connection to mailcow broke while listing mailboxes: " + e.getMessage(), false, e);
        }
    }

    /** Streams the listing: each mailbox has ~35 fields, mailadm needs four of them. */
    private static List<Mailbox> parseListing(InputStream in) throws IOException {
        List<Mailbox> out = new ArrayList<>();
        try (JsonParser p = JSON.getFactory().createParser(in)) {
            p.nextToken();
            JsonToken next;
            while ((next = p.nextToken()) == JsonToken.START_OBJECT) {
                String username = "";
                long active = 0;
                long last = 0;
                List<String> tags = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken t = p.nextToken();
                    switch (field) {
                        case "username" -> username = p.getValueAsString("");
                        case "active" -> active = lenientLong(p, t);
                        case "last_imap_login" -> last = lenientLong(p, t);
                        case "tags" -> {
                            if (t == JsonToken.START_ARRAY) {
                                while (p.nextToken() != JsonToken.END_ARRAY) {
                                    tags.add(p.getValueAsString(""));
                                    p.skipChildren();
                                }
                            } else {
                                p.skipChildren();
                            }
                        }
                        default -> p.skipChildren();
                    }
                }
                mailbox(username, active, last, tags).ifPresent(out::add);
            }
            if (next != JsonToken.END_ARRAY) {
                throw new MailProviderException(
                        Kind.BAD_RESPONSE, "mailcow sent a mailbox list that is not a list of objects", false);
            }
        } catch (JsonProcessingException e) {
            LOG.warn("mailcow's mailbox list is not valid JSON: {}", e.getOriginalMessage());
            throw new MailProviderException(
                    Kind.BAD_RESPONSE, "mailcow sent a mailbox list that is not valid JSON", false);
        }
        return out;
    }

    /**
     * {@code POST delete/mailbox} with the body {@code []}: changes nothing, and tells a read-write key
     * ({@code {"type":"success","msg":"Task completed"}}) from a read-only one (403) and a rejected
     * one (401), contract §8.2. A rejected key still counts towards mailcow's fail2ban: callers send
     * it rarely (the server every 30 s, held back by its circuit breaker).
     */
    @Override
    public void checkHealth() {
        JsonNode body = tree(
                post("delete/mailbox", JSON.createArrayNode(), options.requestTimeout(), false),
                "delete/mailbox",
                false);
        if (!body.isObject() || !body.path("type").asText().equals("success")) {
            throw unexpected("delete/mailbox", body, false);
        }
    }

    /** Reads one mailbox object; mailboxes whose address mailadm could not manage are skipped. */
    private static Optional<Mailbox> parse(JsonNode n) {
        List<String> tags = new ArrayList<>();
        n.path("tags").forEach(t -> tags.add(t.asText()));
        return mailbox(
                n.path("username").asText(), lenientLong(n.get("active")), lenientLong(n.get("last_imap_login")), tags);
    }

    private static Optional<Mailbox> mailbox(String username, long active, long lastImapLogin, List<String> tags) {
        EmailAddress address;
        try {
            address = EmailAddress.parse(username);
        } catch (IllegalArgumentException e) {
            LOG.debug("skipping a mailbox whose address mailadm does not manage");
            return Optional.empty();
        }
        Optional<Instant> last =
                lastImapLogin > 0 ? Optional.of(Instant.ofEpochSecond(lastImapLogin)) : Optional.empty();
        return Optional.of(new Mailbox(address, active == 1, last, tags));
    }

    /** mailcow sends ints today and sent strings before 2021-06. */
    private static long lenientLong(JsonNode n) {
        if (n == null || n.isNull()) {
            return 0;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        return parseLong(n.asText());
    }

    private static long lenientLong(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NUMBER_INT) {
            return p.getLongValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            return parseLong(p.getText());
        }
        p.skipChildren();
        return 0;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String msgKey(JsonNode entry) {
        JsonNode msg = entry.path("msg");
        return msg.isArray() ? msg.path(0).asText() : msg.asText();
    }

    // ---- HTTP

    private String get(String path, Duration timeout) {
        HttpRequest req = base(path, timeout).GET().build();
        return send(req, path, false);
    }

    private String post(String path, JsonNode body, Duration timeout, boolean mayApply) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest req = base(path, timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return send(req, path, mayApply);
    }

    private HttpRequest.Builder base(String path, Duration timeout) {
        return HttpRequest.newBuilder(endpoint.resolve(path))
                .timeout(timeout)
                .header("X-API-Key", key.value())
                .header("Accept", "application/json");
    }

    private String send(HttpRequest req, String what, boolean mayApply) {
        HttpResponse<String> resp = exchange(req, what, mayApply, HttpResponse.BodyHandlers.ofString());
        return read(resp.statusCode(), resp.body() == null ? "" : resp.body(), what, mayApply);
    }

    private <T> HttpResponse<T> exchange(
            HttpRequest req, String what, boolean mayApply, HttpResponse.BodyHandler<T> handler) {
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

    /** Checks the status and returns the body; errors that mailcow signals by status become exceptions. */
    private String read(int status, String body, String what, boolean mayApply) {
        if (status == 200) {
            if (body.isBlank()) {
                throw new MailProviderException(
                        Kind.BAD_RESPONSE,
                        "mailcow sent an empty answer to " + what
                                + ": check that MAILCOW_ENDPOINT ends in /api/v1/ and that the API key is set",
                        mayApply);
            }
            return body;
        }
        String msg = "";
        if (body.length() < 10_000) {
            try {
                msg = JSON.readTree(body).path("msg").asText("");
            } catch (JsonProcessingException e) {
                msg = "";
            }
        }
        if (status == 401) {
            if (msg.startsWith("api access denied for ip")) {
                throw new MailProviderException(
                        Kind.IP_NOT_ALLOWED,
                        "mailcow refused the API key from this address ("
                                + abbreviate(msg)
                                + "): add this server's IP to the key's \"Allow API access from these IPs\" in"
                                + " mailcow's admin interface (System > Configuration > Access > API), or enable \"Skip IP check"
                                + " for API\"",
                        false);
            }
            throw new MailProviderException(
                    Kind.AUTHENTICATION_FAILED,
                    "mailcow rejected the API key (authentication"
                            + " failed): check MAILCOW_TOKEN against the read-write key in mailcow's admin interface (System >"
                            + " Configuration > Access > API), make sure the API is activated, then run `mailadm init` again",
                    false);
        }
        if (status == 403) {
            throw new MailProviderException(
                    Kind.READ_ONLY_KEY,
                    "mailcow refused a change with this API key (read/write"
                            + " access denied): MAILCOW_TOKEN must be the read-write key, not the read-only one",
                    false);
        }
        LOG.warn("mailcow answered {} with HTTP {}: {}", what, status, abbreviate(body));
        if (status >= 500) {
            throw new MailProviderException(
                    Kind.BAD_RESPONSE, "mailcow failed with HTTP " + status + " on " + what, mayApply);
        }
        throw new MailProviderException(
                Kind.BAD_RESPONSE,
                "mailcow answered HTTP " + status + " on " + what + (msg.isEmpty() ? "" : " (" + abbreviate(msg) + ")")
                        + ": check MAILCOW_ENDPOINT",
                false);
    }

    /** Parses a (small) answer; mailcow's single-object errors become exceptions. */
    private JsonNode tree(String body, String what, boolean mayApply) {
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw badJson(what, body, mayApply);
        }
        if (json == null) {
            throw badJson(what, body, mayApply);
        }
        if (json.isObject() && json.path("type").asText().equals("error")) {
            String msg = json.path("msg").asText("");
            LOG.warn("mailcow refused {}: {}", what, abbreviate(msg));
            throw new MailProviderException(Kind.OTHER, "mailcow refused " + what + ": " + abbreviate(msg), false);
        }
        return json;
    }

    private MailProviderException badJson(String what, String body, boolean mayApply) {
        LOG.warn("mailcow answered {} with a body that is not JSON: {}", what, abbreviate(body));
        return new MailProviderException(
                Kind.BAD_RESPONSE, "mailcow sent an answer to " + what + " that is not JSON", mayApply);
    }

    private MailProviderException unexpected(String what, JsonNode body, boolean mayApply) {
        LOG.warn("unexpected answer from mailcow to {}: {}", what, abbreviate(body.toString()));
        return new MailProviderException(Kind.BAD_RESPONSE, "mailcow sent an unexpected answer to " + what, mayApply);
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 300 ? printable.substring(0, 300) + "..." : printable;
    }

    @Override
    public String toString() {
        return "MailcowMailProvider[" + endpoint + "]";
    }
}
