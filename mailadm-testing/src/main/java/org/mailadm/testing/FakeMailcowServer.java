package org.mailadm.testing;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.mailadm.testing.FakeMailcowFaults.DangerButCreated;
import org.mailadm.testing.FakeMailcowFaults.Quirk;
import org.mailadm.testing.FakeMailcowState.Box;
import org.mailadm.testing.FakeMailcowState.Domain;
import org.mailadm.testing.FakeMailcowState.Key;
import org.mailadm.testing.FakeMailcowState.PasswordPolicy;

/**
 * A fake mailcow API server: real HTTP on a random local port, state in memory, answers shaped as
 * recorded from a real mailcow ({@code shared/contracts/mailcow-transcript.txt}), including its odd
 * corners: {@code {}} for empty listings, two-entry success bodies, {@code access_denied} for
 * missing mailboxes, 200 with an empty body when the API key is missing.
 *
 * <p>Test hooks: API keys, domains, last logins, password policy, latency, injected faults, the
 * 2022-05 "single GET answers a list" bug and the pre-2022-12 one-entry success body, and request
 * counts per endpoint. Thread-safe; start with {@link #start()}, stop with {@link #close()}.
 *
 * <p>This class is the door; behind it, package-private, are the state ({@code FakeMailcowState}),
 * the HTTP layer ({@code FakeMailcowHttp}, which routes to {@code FakeMailcowWrites} and {@code
 * FakeMailcowReads}) and the fault modes ({@code FakeMailcowFaults}).
 */
public final class FakeMailcowServer implements AutoCloseable {
    /** A read-write key allowed from anywhere, set up by {@link #start()}. */
    public static final String RW_KEY = "FAKE00-RWRWRW-000000-000000-000001";
    /** A read-only key allowed from anywhere. */
    public static final String RO_KEY = "FAKE00-ROROR0-000000-000000-000002";
    /** The domain set up by {@link #start()}: unlimited mailboxes and quota. */
    public static final String DOMAIN = "example.org";

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

    private final FakeMailcowState state;
    private final FakeMailcowFaults faults = new FakeMailcowFaults();
    private final FakeMailcowHttp http;
    private int requestedPort;
    private int port;

    public FakeMailcowServer() {
        this(Clock.systemUTC());
    }

    public FakeMailcowServer(Clock clock) {
        this.state = new FakeMailcowState(clock);
        this.http = new FakeMailcowHttp(state, faults);
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

    /** Starts on a random port of 127.0.0.1 with {@link #RW_KEY}, {@link #RO_KEY} and {@link #DOMAIN}. */
    public FakeMailcowServer start() {
        addKey(RO_KEY, "ro", List.of(), true);
        addDomain(DOMAIN, Integer.MAX_VALUE, 0, 0, 0);
        return startBare();
    }

    /** Starts with {@link #RW_KEY} only: no domain, no other key (a fresh mailcow). */
    public FakeMailcowServer startBare() {
        addKey(RW_KEY, "rw", List.of(), true);
        port = http.start(requestedPort);
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
        faults.close();
        http.stop();
    }

    /**
     * A mailcow that accepts connections and never answers: from now on every request is held
     * (without being carried out) until {@code setHang(false)} or {@link #close()}, which cut the
     * held connections without an answer.
     */
    public void setHang(boolean on) {
        faults.setHang(on);
    }

    // ---- hooks

    /** Adds an API key; {@code allowFrom} lists IPs (exact matches, no CIDRs), used unless {@code skipIpCheck}. */
    public void addKey(String key, String access, List<String> allowFrom, boolean skipIpCheck) {
        state.addKey(key, new Key(access, allowFrom, skipIpCheck));
    }

    /** Removes a key (for "wrong key" tests, give the client another one instead). */
    public void removeKey(String key) {
        state.removeKey(key);
    }

    /** Adds a domain; 0 quotas mean unlimited. */
    public void addDomain(String domain, int maxMailboxes, long defQuotaMiB, long maxQuotaMiB, long totalQuotaMiB) {
        state.addDomain(domain, new Domain(maxMailboxes, defQuotaMiB, maxQuotaMiB, totalQuotaMiB));
    }

    public void setLastImapLogin(String username, long epochSeconds) {
        state.change(username, b -> b.lastImapLogin = epochSeconds);
    }

    public void setLastSmtpLogin(String username, long epochSeconds) {
        state.change(username, b -> b.lastSmtpLogin = epochSeconds);
    }

    /** The password policy ({@code PASSWD_POLICY}); mailcow's default is length 6 and nothing else. */
    public void setPasswordPolicy(int length, boolean chars, boolean special, boolean lowerUpper, boolean numbers) {
        state.setPasswordPolicy(new PasswordPolicy(length, chars, special, lowerUpper, numbers));
    }

    public void setLatency(Duration d) {
        faults.setLatency(d);
    }

    /** The next {@code n} requests meet this fault. */
    public void failNext(int n, Fault fault) {
        faults.failNext(n, fault);
    }

    /**
     * mailcow leaves a mailbox out of its listings when reading its details fails: these usernames
     * are missing from {@code get/mailbox/all} and {@code reduced}, yet found by a lookup of their own.
     */
    public void omitFromListing(String... usernames) {
        for (String u : usernames) {
            faults.omitFromListing(u);
        }
    }

    /** Listings answer {@code {}} ("no mailboxes") whatever exists, as mailcow does when its domain lookup fails. */
    public void setListingAnswersEmpty(boolean on) {
        faults.set(Quirk.LISTING_ANSWERS_EMPTY, on);
    }

    /** A mailcow before 2022-01: {@code get/mailbox/reduced} answers {@code {}} like an unknown username. */
    public void setNoReducedListing(boolean on) {
        faults.set(Quirk.NO_REDUCED_LISTING, on);
    }

    /**
     * mailcow #5292: {@code add/mailbox} answers a {@code danger} entry with this key and creates the
     * mailbox all the same; {@code alsoSaysAdded} adds the {@code mailbox_added} entry. {@code null} ends it.
     */
    public void setDangerButCreated(String msgKey, boolean alsoSaysAdded) {
        faults.setDangerButCreated(msgKey == null ? null : new DangerButCreated(msgKey, alsoSaysAdded));
    }

    /**
     * Every mailbox a {@code delete/mailbox} call deletes takes this long, one after the other, and the
     * call goes on after the client gave up: a real mailcow rebuilds SOGo's view per deletion (4–8 s
     * at 4,570 mailboxes). The wait ends at once when the fake closes.
     */
    public void setDeleteLatencyPerMailbox(Duration d) {
        faults.setDeleteLatency(d);
    }

    /** mailcow 2022-05: {@code GET /get/mailbox/{id}} answers the list of all mailboxes. */
    public void setBug202205(boolean on) {
        faults.set(Quirk.BUG_2022_05, on);
    }

    /** mailcow before 2022-12: a successful add answers one entry, without {@code rl_saved}. */
    public void setPre202212(boolean on) {
        faults.set(Quirk.PRE_2022_12, on);
    }

    /** Requests seen for an endpoint such as {@code "add/mailbox"} or {@code "get/mailbox"}. */
    public int requests(String endpoint) {
        return http.requests(endpoint);
    }

    public int totalRequests() {
        return http.totalRequests();
    }

    /**
     * Waits until no request is being handled (a client that died may have left some running).
     *
     * @return false if requests were still running after the timeout
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return http.awaitIdle(timeout);
    }

    public List<String> usernames() {
        return state.usernames();
    }

    /** Usernames of mailboxes carrying this exact tag. */
    public List<String> usernamesTagged(String tag) {
        return state.usernamesTagged(tag);
    }

    public boolean hasMailbox(String username) {
        return state.read(username, Objects::nonNull);
    }

    public String passwordOf(String username) {
        return state.read(username, b -> b == null ? null : b.password);
    }

    /** The mailbox's quota in MiB as mailcow stores it (0 = unlimited). */
    public long quotaMiBOf(String username) {
        return state.read(username, b -> b.quotaBytes / 1048576L);
    }

    public boolean isActive(String username) {
        return state.read(username, b -> b.active == 1);
    }

    /** Deletes a mailbox directly (as if an admin had). */
    public void removeMailbox(String username) {
        state.remove(username);
    }

    /** Creates a mailbox directly (as if an admin had), with these tags. */
    public void putMailbox(String username, String password, List<String> tags) {
        state.put(new Box(username.toLowerCase(Locale.ROOT), password, tags, state.now()));
    }
}
