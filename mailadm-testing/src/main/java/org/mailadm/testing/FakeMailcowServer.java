package org.mailadm.testing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.BlockingHandler;
import io.undertow.util.Headers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A fake mailcow API server: real HTTP on a random local port, state in memory, answers shaped as
 * recorded from a real mailcow ({@code shared/contracts/mailcow-transcript.txt}), including its odd
 * corners: {@code {}} for empty listings, two-entry success bodies, {@code access_denied} for
 * missing mailboxes, 200 with an empty body when the API key is missing.
 *
 * <p>Test hooks: API keys, domains, last logins, password policy, latency, injected faults, the
 * 2022-05 "single GET answers a list" bug and the pre-2022-12 one-entry success body, and request
 * counts per endpoint. Thread-safe; start with {@link #start()}, stop with {@link #close()}.
 */
public final class FakeMailcowServer implements AutoCloseable {
    /** A read-write key allowed from anywhere, set up by {@link #start()}. */
    public static final String RW_KEY = "FAKE00-RWRWRW-000000-000000-000001";
    /** A read-only key allowed from anywhere. */
    public static final String RO_KEY = "FAKE00-ROROR0-000000-000000-000002";
    /** The domain set up by {@link #start()}: unlimited mailboxes and quota. */
    public static final String DOMAIN = "example.org";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final DateTimeFormatter DB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Pattern EMAIL_LOCAL =
            Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern HOST = Pattern.compile("([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}");

    /** A fault to inject into the next calls. */
    public sealed interface Fault {
        /** Answer with this status and body (e.g. 500 with an HTML page). */
        record Status(int code, String body) implements Fault {}

        /** Answer nothing for this long, then close the connection (a client times out first). */
        record Stall(Duration duration) implements Fault {}

        /** Close the connection without an answer. */
        record Drop() implements Fault {}

        /** Carry out the request, then close the connection without an answer (the answer is lost). */
        record DropAfterApplying() implements Fault {}

        /** Answer 200 with a body that is not JSON. */
        record Garbage() implements Fault {}
    }

    private record Key(String access, List<String> allowFrom, boolean skipIpCheck) {}

    private record Domain(int maxMailboxes, long defQuotaMiB, long maxQuotaMiB, long totalQuotaMiB) {}

    private static final class Box {
        String username;
        String localPart;
        String domain;
        String name = "";
        long quotaBytes;
        int active = 1;
        String password;
        TreeSet<String> tags = new TreeSet<>();
        String created;
        String modified;
        long lastImapLogin;
        long lastSmtpLogin;
    }

    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final Map<String, Domain> domains = new TreeMap<>();
    private final Map<String, Box> boxes = new TreeMap<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Clock clock;
    private volatile Duration latency = Duration.ZERO;
    private volatile boolean bug202205;
    private volatile boolean pre202212;
    private final java.util.Set<String> omittedFromListing = ConcurrentHashMap.newKeySet();
    private volatile boolean listingAnswersEmpty;
    private volatile boolean noReducedListing;
    private String dangerButCreated;
    private boolean dangerAlsoSaysAdded;
    private volatile Duration deleteLatency = Duration.ZERO;
    private int policyLength = 6;
    private boolean policyChars;
    private boolean policySpecial;
    private boolean policyLowerUpper;
    private boolean policyNumbers;
    private Undertow server;
    private int port;

    public FakeMailcowServer() {
        this(Clock.systemUTC());
    }

    public FakeMailcowServer(Clock clock) {
        this.clock = clock;
    }

    /**
     * Runs the fake as a process, for end-to-end scripts: {@code [--port N] [--latency-ms N]}. Prints
     * {@code FAKE_MAILCOW_ENDPOINT=<url>} and {@code FAKE_MAILCOW_KEY=<key>}, then serves until killed.
     * Options: {@code --port N}, {@code --latency-ms N}, {@code --mailboxes N} (tmp.b0@example.org ...
     * tagged {@code mailadm:bench}, for benchmarks by hand).
     */
    public static void main(String[] args) throws InterruptedException {
        int port = 0;
        long latency = 0;
        int mailboxes = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--latency-ms" -> latency = Long.parseLong(args[i + 1]);
                case "--mailboxes" -> mailboxes = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        FakeMailcowServer fake = new FakeMailcowServer();
        fake.requestedPort = port;
        fake.start();
        // For benchmarks by hand: tmp.b0@example.org ... tagged mailadm:bench, like CliBenchmark's.
        BenchAccounts.putMailboxes(fake, mailboxes);
        fake.setLatency(Duration.ofMillis(latency));
        System.out.println("FAKE_MAILCOW_ENDPOINT=" + fake.endpoint());
        System.out.println("FAKE_MAILCOW_KEY=" + RW_KEY);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(fake::close));
        Thread.currentThread().join();
    }

    private int requestedPort;

    /** Starts on a random port of 127.0.0.1 with {@link #RW_KEY}, {@link #RO_KEY} and {@link #DOMAIN}. */
    public FakeMailcowServer start() {
        addKey(RO_KEY, "ro", List.of(), true);
        addDomain(DOMAIN, Integer.MAX_VALUE, 0, 0, 0);
        return startBare();
    }

    /** Starts with {@link #RW_KEY} only: no domain, no other key (a fresh mailcow). */
    public FakeMailcowServer startBare() {
        addKey(RW_KEY, "rw", List.of(), true);
        server = Undertow.builder()
                .addHttpListener(requestedPort, "127.0.0.1")
                .setWorkerThreads(256)
                .setHandler(new BlockingHandler(this::handle))
                .build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return this;
    }

    /** The API base, {@code http://127.0.0.1:PORT/api/v1/}. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port + "/api/v1/");
    }

    public int port() {
        return port;
    }

    /** Stops the fake; requests it holds (hanging, stalled) end at once without an answer. */
    @Override
    public void close() {
        closing.countDown();
        hangRelease.countDown();
        if (server != null) {
            server.stop();
        }
    }

    private final java.util.concurrent.CountDownLatch closing = new java.util.concurrent.CountDownLatch(1);
    private volatile java.util.concurrent.CountDownLatch hangRelease = new java.util.concurrent.CountDownLatch(0);

    /**
     * A mailcow that accepts connections and never answers: from now on every request is held
     * (without being carried out) until {@code setHang(false)} or {@link #close()}, which cut the
     * held connections without an answer.
     */
    public void setHang(boolean on) {
        if (on) {
            hangRelease = new java.util.concurrent.CountDownLatch(1);
        } else {
            hangRelease.countDown();
        }
    }

    // ---- hooks

    /** Adds an API key; {@code allowFrom} lists IPs or CIDRs, used unless {@code skipIpCheck}. */
    public void addKey(String key, String access, List<String> allowFrom, boolean skipIpCheck) {
        keys.put(key.toUpperCase(Locale.ROOT), new Key(access, allowFrom, skipIpCheck));
    }

    /** Removes every key (for "wrong key" tests, give the client another one instead). */
    public void removeKey(String key) {
        keys.remove(key.toUpperCase(Locale.ROOT));
    }

    /** Adds a domain; 0 quotas mean unlimited. */
    public synchronized void addDomain(
            String domain, int maxMailboxes, long defQuotaMiB, long maxQuotaMiB, long totalQuotaMiB) {
        domains.put(domain, new Domain(maxMailboxes, defQuotaMiB, maxQuotaMiB, totalQuotaMiB));
    }

    public synchronized void setLastImapLogin(String username, long epochSeconds) {
        boxes.get(username.toLowerCase(Locale.ROOT)).lastImapLogin = epochSeconds;
    }

    public synchronized void setLastSmtpLogin(String username, long epochSeconds) {
        boxes.get(username.toLowerCase(Locale.ROOT)).lastSmtpLogin = epochSeconds;
    }

    /** The password policy ({@code PASSWD_POLICY}); mailcow's default is length 6 and nothing else. */
    public synchronized void setPasswordPolicy(
            int length, boolean chars, boolean special, boolean lowerUpper, boolean numbers) {
        policyLength = length;
        policyChars = chars;
        policySpecial = special;
        policyLowerUpper = lowerUpper;
        policyNumbers = numbers;
    }

    public void setLatency(Duration d) {
        latency = d;
    }

    /** The next {@code n} requests meet this fault. */
    public synchronized void failNext(int n, Fault fault) {
        for (int i = 0; i < n; i++) {
            faults.add(fault);
        }
    }

    /**
     * mailcow leaves a mailbox out of its listings when reading its details fails: these usernames
     * are missing from {@code get/mailbox/all} and {@code reduced}, yet found by a lookup of their own.
     */
    public void omitFromListing(String... usernames) {
        for (String u : usernames) {
            omittedFromListing.add(u.toLowerCase(Locale.ROOT));
        }
    }

    /** Listings answer {@code {}} ("no mailboxes") whatever exists, as mailcow does when its domain lookup fails. */
    public void setListingAnswersEmpty(boolean on) {
        listingAnswersEmpty = on;
    }

    /** A mailcow before 2022-01: {@code get/mailbox/reduced} answers {@code {}} like an unknown username. */
    public void setNoReducedListing(boolean on) {
        noReducedListing = on;
    }

    /**
     * mailcow #5292: {@code add/mailbox} answers a {@code danger} entry with this key and creates the
     * mailbox all the same; {@code alsoSaysAdded} adds the {@code mailbox_added} entry. {@code null} ends it.
     */
    public synchronized void setDangerButCreated(String msgKey, boolean alsoSaysAdded) {
        dangerButCreated = msgKey;
        dangerAlsoSaysAdded = alsoSaysAdded;
    }

    /**
     * Every mailbox a {@code delete/mailbox} call deletes takes this long, one after the other, and the
     * call goes on after the client gave up: a real mailcow rebuilds SOGo's view per deletion (4–8 s
     * at 4,570 mailboxes).
     */
    public void setDeleteLatencyPerMailbox(Duration d) {
        deleteLatency = d;
    }

    /** mailcow 2022-05: {@code GET /get/mailbox/{id}} answers the list of all mailboxes. */
    public void setBug202205(boolean on) {
        bug202205 = on;
    }

    /** mailcow before 2022-12: a successful add answers one entry, without {@code rl_saved}. */
    public void setPre202212(boolean on) {
        pre202212 = on;
    }

    /** Requests seen for an endpoint such as {@code "add/mailbox"} or {@code "get/mailbox"}. */
    public int requests(String endpoint) {
        AtomicInteger n = counts.get(endpoint);
        return n == null ? 0 : n.get();
    }

    public int totalRequests() {
        return counts.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    public synchronized List<String> usernames() {
        return List.copyOf(boxes.keySet());
    }

    /** Usernames of mailboxes carrying this exact tag. */
    public synchronized List<String> usernamesTagged(String tag) {
        return boxes.values().stream()
                .filter(b -> b.tags.contains(tag))
                .map(b -> b.username)
                .toList();
    }

    public synchronized boolean hasMailbox(String username) {
        return boxes.containsKey(username.toLowerCase(Locale.ROOT));
    }

    public synchronized String passwordOf(String username) {
        Box b = boxes.get(username.toLowerCase(Locale.ROOT));
        return b == null ? null : b.password;
    }

    /** The mailbox's quota in MiB as mailcow stores it (0 = unlimited). */
    public synchronized long quotaMiBOf(String username) {
        return boxes.get(username.toLowerCase(Locale.ROOT)).quotaBytes / 1048576L;
    }

    public synchronized boolean isActive(String username) {
        return boxes.get(username.toLowerCase(Locale.ROOT)).active == 1;
    }

    /** Deletes a mailbox directly (as if an admin had). */
    public synchronized void removeMailbox(String username) {
        boxes.remove(username.toLowerCase(Locale.ROOT));
    }

    /** Creates a mailbox directly (as if an admin had), with these tags. */
    public synchronized void putMailbox(String username, String password, List<String> tags) {
        String u = username.toLowerCase(Locale.ROOT);
        Box b = new Box();
        b.username = u;
        b.localPart = u.substring(0, u.indexOf('@'));
        b.domain = u.substring(u.indexOf('@') + 1);
        b.password = password;
        b.tags.addAll(tags);
        b.created = now();
        b.modified = b.created;
        boxes.put(u, b);
    }

    // ---- HTTP

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

    /**
     * Waits until no request is being handled (a client that died may have left some running).
     *
     * @return false if requests were still running after the timeout
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
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

    private void handleCounted(HttpServerExchange ex) throws Exception {
        java.util.concurrent.CountDownLatch hang = hangRelease;
        if (hang.getCount() > 0) {
            countRequest(ex.getRequestPath());
            hang.await();
            ex.getConnection().close();
            return;
        }
        Fault fault;
        synchronized (this) {
            fault = faults.poll();
        }
        Duration d = latency;
        if (!d.isZero()) {
            Thread.sleep(d); // simulated PHP + bcrypt time
        }
        String path = ex.getRequestPath();
        countRequest(path);
        if (fault != null) {
            switch (fault) {
                case Fault.Status s -> {
                    send(ex, s.code(), s.body());
                    return;
                }
                case Fault.Stall s -> {
                    closing.await(s.duration().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                    ex.getConnection().close();
                    return;
                }
                case Fault.Drop x -> {
                    ex.getConnection().close();
                    return;
                }
                case Fault.Garbage x -> {
                    send(ex, 200, "<html><body>Fatal error: Uncaught PDOException</body></html>");
                    return;
                }
                case Fault.DropAfterApplying x -> {
                    answer(ex, path);
                    ex.getConnection().close();
                    return;
                }
            }
        }
        Answer a = answer(ex, path);
        if (a.writer() != null) {
            ex.setStatusCode(a.status());
            ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            ex.startBlocking();
            // Listings are written compact, unlike mailcow's pretty print: whitespace is not part of
            // the contract, and 100,000 mailboxes are 100 MB either way.
            try (JsonGenerator g = JSON.getFactory()
                    .createGenerator(new java.io.BufferedOutputStream(ex.getOutputStream(), 1 << 16))) {
                a.writer().write(g);
            }
            return;
        }
        send(ex, a.status(), a.body());
    }

    private void countRequest(String path) {
        if (path.startsWith("/api/v1/")) {
            String[] parts = path.substring("/api/v1/".length()).split("/", -1);
            if (parts.length >= 2) {
                counts.computeIfAbsent(parts[0] + "/" + parts[1], k -> new AtomicInteger())
                        .incrementAndGet();
            }
        }
    }

    /** An answer: a body, or (for listings) a writer that streams the body. */
    private record Answer(int status, String body, BodyWriter writer) {
        Answer(int status, String body) {
            this(status, body, null);
        }
    }

    @FunctionalInterface
    private interface BodyWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private static Answer error(int status, String msg) {
        ObjectNode o = F.objectNode().put("type", "error").put("msg", msg);
        return new Answer(status, o.toString());
    }

    private Answer answer(HttpServerExchange ex, String rawPath) throws IOException {
        if (!rawPath.startsWith("/api/v1/")) {
            return error(404, "route not found");
        }
        // nginx hands the decoded path to PHP, which decodes it again.
        String path = URLDecoder.decode(rawPath.substring("/api/v1/".length()), StandardCharsets.UTF_8);
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
                    ? new Answer(200, "")
                    : new Answer(403, "{\"type\":\"error\",\"msg\":\"API read\\/write access denied\"}");
        }
        Key k = keys.get(key);
        if (k == null) {
            return error(401, "authentication failed");
        }
        String ip = ex.getSourceAddress().getAddress().getHostAddress();
        if (!k.skipIpCheck() && !k.allowFrom().contains(ip)) {
            return error(401, "api access denied for ip " + ip);
        }
        if (write && !k.access().equals("rw")) {
            return new Answer(403, "{\"type\":\"error\",\"msg\":\"API read\\/write access denied\"}");
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
        String route = action + "/" + category;
        String query = ex.getQueryString();
        Duration perDeletion = deleteLatency;
        if (route.equals("delete/mailbox") && !perDeletion.isZero()) {
            // Each deletion takes its time outside the lock, and goes on after the client gave up.
            return delete(body, u -> {
                try {
                    // the time one deletion takes; ends at once when the fake closes
                    closing.await(perDeletion.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                synchronized (this) {
                    return boxes.remove(u) != null;
                }
            });
        }
        synchronized (this) {
            return switch (route) {
                case "add/mailbox" -> add(body);
                case "delete/mailbox" -> delete(body, u -> boxes.remove(u) != null);
                case "edit/mailbox" -> edit(body);
                case "get/mailbox" -> get(object, extra, tagsParam(query));
                default -> error(404, "route not found");
            };
        }
    }

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

    private static void send(HttpServerExchange ex, int status, String body) {
        ex.setStatusCode(status);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        ex.getResponseSender().send(body);
    }

    // ---- add

    private static ObjectNode entry(String type, ArrayNode log, JsonNode msg) {
        ObjectNode o = F.objectNode();
        o.put("type", type);
        o.set("log", log);
        o.set("msg", msg);
        return o;
    }

    private static ArrayNode msg(String key, Object... args) {
        ArrayNode a = F.arrayNode().add(key);
        for (Object arg : args) {
            if (arg instanceof Integer i) {
                a.add(i);
            } else if (arg instanceof Long l) {
                a.add(l);
            } else {
                a.add(String.valueOf(arg));
            }
        }
        return a;
    }

    private static Answer list(ObjectNode... entries) {
        ArrayNode a = F.arrayNode();
        for (ObjectNode e : entries) {
            a.add(e);
        }
        return new Answer(200, a.toString());
    }

    private Answer add(JsonNode attr) {
        if (!attr.isObject()) {
            return error(200, "Cannot add item");
        }
        ObjectNode echo = attr.deepCopy();
        if (echo.has("password")) {
            echo.put("password", "*");
        }
        if (echo.has("password2")) {
            echo.put("password2", "*");
        }
        ArrayNode log = F.arrayNode().add("mailbox").add("add").add("mailbox");
        log.add(echo);
        log.addNull();
        ArrayNode pwLog = F.arrayNode().add("password_check").addNull().addNull();

        String localPart = text(attr, "local_part").trim().toLowerCase(Locale.ROOT);
        String domain = text(attr, "domain").trim().toLowerCase(Locale.ROOT);
        String username = localPart + "@" + domain;
        if (!EMAIL_LOCAL.matcher(localPart).matches() || !HOST.matcher(domain).matches() || localPart.isEmpty()) {
            return list(entry("danger", log, F.textNode("mailbox_invalid")));
        }
        Domain dom = domains.get(domain);
        if (dom == null) {
            return list(entry("danger", log, F.textNode("access_denied")));
        }
        if (boxes.containsKey(username)) {
            return list(entry("danger", log, msg("object_exists", username)));
        }
        String pw = text(attr, "password");
        String pw2 = text(attr, "password2");
        if (pw.isEmpty() || pw2.isEmpty()) {
            return list(entry("danger", pwLog, F.textNode("password_complexity")));
        }
        if (!pw.equals(pw2)) {
            return list(entry("danger", pwLog, F.textNode("password_mismatch")));
        }
        if (!passwordOk(pw)) {
            return list(entry("danger", pwLog, F.textNode("password_complexity")));
        }
        // Counting walks every mailbox: only when the domain has a limit (mailcow counts with an index).
        long count = dom.maxMailboxes() < Integer.MAX_VALUE
                ? boxes.values().stream().filter(b -> b.domain.equals(domain)).count()
                : 0;
        if (count >= dom.maxMailboxes()) {
            return list(entry("danger", log, msg("max_mailbox_exceeded", (int) count, dom.maxMailboxes())));
        }
        long quotaMiB = attr.has("quota") ? attr.get("quota").asLong(0) : 0;
        if (quotaMiB > 0 && dom.maxQuotaMiB() > 0 && quotaMiB > dom.maxQuotaMiB()) {
            return list(entry("danger", log, msg("mailbox_quota_exceeded", (int) dom.maxQuotaMiB())));
        }
        long usedMiB = quotaMiB > 0 && dom.totalQuotaMiB() > 0 ? usedQuotaMiB(domain) : 0;
        if (quotaMiB > 0 && dom.totalQuotaMiB() > 0 && usedMiB + quotaMiB > dom.totalQuotaMiB()) {
            return list(
                    entry("danger", log, msg("mailbox_quota_left_exceeded", (int) (dom.totalQuotaMiB() - usedMiB))));
        }
        Box b = new Box();
        b.username = username;
        b.localPart = localPart;
        b.domain = domain;
        b.name = attr.has("name") ? attr.get("name").asText().replace("<", "").replace(">", "") : "";
        b.quotaBytes = quotaMiB * 1048576L;
        b.active =
                attr.has("active") ? attr.get("active").asInt(attr.get("active").asBoolean() ? 1 : 0) : 1;
        b.password = pw;
        JsonNode tags = attr.get("tags");
        if (tags != null && tags.isArray()) {
            tags.forEach(t -> b.tags.add(t.asText()));
        }
        b.created = now();
        b.modified = b.created;
        boxes.put(username, b);
        ObjectNode added = entry("success", log, msg("mailbox_added", username));
        if (dangerButCreated != null) {
            // mailcow #5292: an error reported, the mailbox created all the same
            ObjectNode danger = entry(
                    "danger", F.arrayNode().add("password_check").addNull().addNull(), F.textNode(dangerButCreated));
            return dangerAlsoSaysAdded ? list(danger, added) : list(danger);
        }
        if (pre202212) {
            return list(added);
        }
        ObjectNode rl =
                F.objectNode().put("object", username).put("rl_frame", "s").put("rl_value", "");
        ArrayNode rlLog =
                F.arrayNode().add("ratelimit").add("edit").add("mailbox").add(rl);
        return list(entry("success", rlLog, msg("rl_saved", username)), added);
    }

    private boolean passwordOk(String pw) {
        return pw.length() >= policyLength
                && (!policyChars || pw.matches(".*[a-zA-Z].*"))
                && (!policyNumbers || pw.matches(".*\\d.*"))
                && (!policySpecial || pw.matches(".*[^a-zA-Z\\d].*"))
                && (!policyLowerUpper || (pw.matches(".*[a-z].*") && pw.matches(".*[A-Z].*")));
    }

    private long usedQuotaMiB(String domain) {
        return boxes.values().stream()
                .filter(b -> b.domain.equals(domain))
                .mapToLong(b -> b.quotaBytes / 1048576L)
                .sum();
    }

    private static String text(JsonNode o, String field) {
        JsonNode n = o.get(field);
        return n == null || n.isNull() ? "" : n.asText();
    }

    private String now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(DB_TIME);
    }

    // ---- delete

    private Answer delete(JsonNode items, java.util.function.Predicate<String> remove) {
        List<JsonNode> list = new ArrayList<>();
        if (items.isArray()) {
            items.forEach(list::add);
        } else {
            list.add(items);
        }
        if (list.isEmpty()) {
            return new Answer(
                    200,
                    F.objectNode()
                            .put("type", "success")
                            .put("msg", "Task completed")
                            .toString());
        }
        // mailcow echoes what it was given: a list as is, a single string wrapped, an object as is.
        JsonNode usernames =
                items.isArray() || items.isObject() ? items : F.arrayNode().add(items);
        // Every entry echoes the whole list in "log", as mailcow does: the answer grows with the square
        // of the batch. The echo is serialised once and copied, the same bytes as a tree would give.
        String log = "[\"mailbox\",\"delete\",\"mailbox\"," + F.objectNode().set("username", usernames) + ",null]";
        StringBuilder out = new StringBuilder(list.size() * (log.length() + 96)).append('[');
        for (JsonNode item : list) {
            if (out.length() > 1) {
                out.append(',');
            }
            String u = item.isTextual() ? item.asText().toLowerCase(Locale.ROOT) : "";
            boolean removed = remove.test(u);
            out.append("{\"type\":\"")
                    .append(removed ? "success" : "danger")
                    .append("\",\"log\":")
                    .append(log)
                    .append(",\"msg\":")
                    .append(removed ? msg("mailbox_removed", u).toString() : "\"access_denied\"")
                    .append('}');
        }
        return new Answer(200, out.append(']').toString());
    }

    // ---- edit

    private Answer edit(JsonNode body) {
        JsonNode itemsNode = body.get("items");
        JsonNode attr = body.has("attr") ? body.get("attr") : F.objectNode();
        List<String> items = new ArrayList<>();
        if (itemsNode != null && itemsNode.isArray()) {
            itemsNode.forEach(i -> items.add(i.asText()));
        } else if (itemsNode != null) {
            items.add(itemsNode.asText());
        }
        ObjectNode echo = F.objectNode();
        ArrayNode names = F.arrayNode();
        items.forEach(names::add);
        echo.set("username", names);
        attr.fields()
                .forEachRemaining(
                        e -> echo.set(e.getKey(), e.getKey().startsWith("password") ? F.textNode("*") : e.getValue()));
        ArrayNode out = F.arrayNode();
        for (String item : items) {
            ArrayNode log =
                    F.arrayNode().add("mailbox").add("edit").add("mailbox").add(echo.deepCopy());
            log.addNull();
            String u = item.toLowerCase(Locale.ROOT);
            if (!u.contains("@")) {
                out.add(entry("danger", log, msg("username_invalid", item)));
                continue;
            }
            Box b = boxes.get(u);
            if (b == null) {
                out.add(entry("danger", log, F.textNode("access_denied")));
                continue;
            }
            String pw = text(attr, "password");
            if (!pw.isEmpty()) {
                if (!pw.equals(text(attr, "password2")) || !passwordOk(pw)) {
                    out.add(entry(
                            "danger",
                            F.arrayNode().add("password_check").addNull().addNull(),
                            F.textNode(
                                    pw.equals(text(attr, "password2")) ? "password_complexity" : "password_mismatch")));
                    continue;
                }
                b.password = pw;
            }
            if (attr.has("active")) {
                JsonNode a = attr.get("active");
                b.active = a.isBoolean() ? (a.asBoolean() ? 1 : 0) : a.asInt();
            }
            JsonNode tags = attr.get("tags");
            if (tags != null && tags.isArray()) {
                tags.forEach(t -> b.tags.add(t.asText()));
            }
            b.modified = now();
            out.add(entry("success", log, msg("mailbox_modified", u)));
        }
        return new Answer(200, out.toString());
    }

    // ---- get

    private Answer get(String object, String extra, List<String> tags) throws JsonProcessingException {
        if (object.equals("reduced") && noReducedListing) {
            return new Answer(200, "{}"); // a mailcow before 2022-01 takes "reduced" for a username
        }
        if ((object.equals("all") || object.equals("reduced")) && listingAnswersEmpty) {
            return new Answer(200, "{}"); // mailcow when its domain lookup comes back empty
        }
        if (object.equals("all") || object.equals("reduced")) {
            List<String> wanted = extra.isEmpty()
                    ? List.of()
                    : List.of(extra.toLowerCase(Locale.ROOT).split(","));
            List<Box> selected = boxes.values().stream()
                    .filter(b -> wanted.isEmpty()
                            || !wanted.stream().anyMatch(domains::containsKey)
                            || wanted.contains(b.domain))
                    .filter(b -> tags == null || hasTagLike(b, tags))
                    .filter(b -> !omittedFromListing.contains(b.username))
                    .toList();
            return list(selected, object.equals("reduced"), true);
        }
        String u = object.toLowerCase(Locale.ROOT);
        if (tags != null) {
            return list(
                    boxes.values().stream()
                            .filter(b -> b.username.contains(u) && hasTagLike(b, tags))
                            .toList(),
                    false,
                    false);
        }
        if (bug202205) {
            return list(List.copyOf(boxes.values()), false, true);
        }
        Box b = boxes.get(u);
        return new Answer(200, b == null ? "{}" : PRETTY.writeValueAsString(details(b, false)));
    }

    /**
     * A list of mailboxes, streamed; {@code {}} (or {@code []}) when empty, as mailcow answers.
     * The details are rendered now, under the lock, as compact per-mailbox snapshots.
     */
    private Answer list(List<Box> selected, boolean reduced, boolean emptyIsObject) {
        if (selected.isEmpty()) {
            return new Answer(200, emptyIsObject ? "{}" : "[]");
        }
        List<View> snapshot = new ArrayList<>(selected.size());
        for (Box b : selected) {
            snapshot.add(view(b));
        }
        return new Answer(200, null, g -> {
            g.writeStartArray();
            for (View v : snapshot) {
                write(g, v, reduced);
            }
            g.writeEndArray();
        });
    }

    /** mailcow's SQL {@code LIKE '%tag%'}: substring match, with {@code _} and {@code %} as wildcards. */
    private static boolean hasTagLike(Box b, List<String> tags) {
        for (String t : tags) {
            StringBuilder re = new StringBuilder(".*");
            for (char c : t.toLowerCase(Locale.ROOT).toCharArray()) {
                re.append(c == '_' ? "." : c == '%' ? ".*" : Pattern.quote(String.valueOf(c)));
            }
            re.append(".*");
            Pattern p = Pattern.compile(re.toString(), Pattern.DOTALL);
            if (b.tags.stream()
                    .anyMatch(tag -> p.matcher(tag.toLowerCase(Locale.ROOT)).matches())) {
                return true;
            }
        }
        return false;
    }

    /** What a GET shows of a mailbox, copied under the lock so it can be written outside it. */
    private record View(
            String username,
            int active,
            String domain,
            String name,
            String localPart,
            long quotaBytes,
            String created,
            String modified,
            long lastImapLogin,
            long lastSmtpLogin,
            long maxNewQuota,
            List<String> tags) {}

    private View view(Box b) {
        Domain dom = domains.get(b.domain);
        long maxNew = Long.MAX_VALUE;
        if (dom != null && dom.totalQuotaMiB() > 0) {
            maxNew = (dom.totalQuotaMiB() - usedQuotaMiB(b.domain)) * 1048576L + b.quotaBytes;
        }
        if (dom != null && dom.maxQuotaMiB() > 0) {
            maxNew = Math.min(maxNew, dom.maxQuotaMiB() * 1048576L);
        }
        return new View(
                b.username,
                b.active,
                b.domain,
                b.name,
                b.localPart,
                b.quotaBytes,
                b.created,
                b.modified,
                b.lastImapLogin,
                b.lastSmtpLogin,
                maxNew == Long.MAX_VALUE ? 0 : maxNew,
                List.copyOf(b.tags));
    }

    private ObjectNode details(Box b, boolean reduced) {
        try {
            com.fasterxml.jackson.databind.util.TokenBuffer buffer =
                    new com.fasterxml.jackson.databind.util.TokenBuffer(JSON, false);
            write(buffer, view(b), reduced);
            return (ObjectNode) JSON.readTree(buffer.asParser());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Writes one mailbox with the keys, order and JSON types of a real mailcow (§6.2 of the contract). */
    private static void write(JsonGenerator g, View v, boolean reduced) throws IOException {
        g.writeStartObject();
        g.writeStringField("username", v.username());
        g.writeNumberField("active", v.active());
        g.writeNumberField("active_int", v.active());
        g.writeStringField("domain", v.domain());
        g.writeStringField("name", v.name());
        g.writeStringField("local_part", v.localPart());
        g.writeNumberField("quota", v.quotaBytes());
        g.writeNumberField("messages", 0);
        g.writeObjectFieldStart("attributes");
        for (String k : List.of("force_pw_update", "force_tfa", "tls_enforce_in", "tls_enforce_out")) {
            g.writeStringField(k, "0");
        }
        for (String k : List.of(
                "sogo_access",
                "imap_access",
                "pop3_access",
                "smtp_access",
                "sieve_access",
                "eas_access",
                "dav_access")) {
            g.writeStringField(k, "1");
        }
        g.writeStringField("relayhost", "0");
        g.writeStringField("passwd_update", v.created());
        g.writeStringField("mailbox_format", "maildir:");
        g.writeStringField("quarantine_notification", "hourly");
        g.writeStringField("quarantine_category", "reject");
        g.writeStringField("attribute_hash", "");
        g.writeEndObject();
        g.writeArrayFieldStart("custom_attributes");
        g.writeEndArray();
        g.writeNumberField("quota_used", 0);
        if (v.quotaBytes() == 0) {
            g.writeStringField("percent_in_use", "- ");
        } else {
            g.writeNumberField("percent_in_use", 0);
        }
        g.writeStringField("created", v.created());
        g.writeStringField("modified", v.modified());
        g.writeStringField("authsource", "mailcow");
        g.writeStringField("percent_class", v.quotaBytes() == 0 ? "info" : "success");
        g.writeNumberField("last_imap_login", v.lastImapLogin());
        g.writeNumberField("last_smtp_login", v.lastSmtpLogin());
        g.writeNumberField("last_pop3_login", 0);
        g.writeNumberField("last_sso_login", 0);
        if (!reduced) {
            g.writeNumberField("max_new_quota", v.maxNewQuota());
            g.writeNumberField("spam_aliases", 0);
            g.writeNumberField("pushover_active", 0);
            g.writeBooleanField("rl", false);
            g.writeStringField("rl_scope", "domain");
            g.writeNumberField("is_relayed", 0);
            g.writeArrayFieldStart("sender_acl");
            g.writeEndArray();
        }
        if (!v.tags().isEmpty()) {
            g.writeArrayFieldStart("tags");
            for (String t : v.tags()) {
                g.writeString(t);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }
}
