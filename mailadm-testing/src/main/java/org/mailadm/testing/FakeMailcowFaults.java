package org.mailadm.testing;

import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mailadm.testing.FakeMailcowServer.Fault;

/**
 * The fake mailcow's fault modes: faults injected into the next requests ({@link Fault}), hanging,
 * latency, slow deletions, and the odd corners of real mailcows that tests switch on (omitted and
 * empty listings, no {@code reduced} listing, mailcow #5292, the 2022-05 and pre-2022-12 answers).
 *
 * <p>Thread-safe. {@link #close()} ends every wait at once: hanging and stalled requests, and the
 * time slow deletions take (OkHttp's {@code MockWebServer} does the same on {@code shutdown()}).
 */
final class FakeMailcowFaults {
    /** mailcow #5292: {@code add/mailbox} answers a {@code danger} entry with this key and creates. */
    record DangerButCreated(String msgKey, boolean alsoSaysAdded) {}

    /** An odd corner of real mailcows, off until a test switches it on. */
    enum Quirk {
        /** Listings answer {@code {}} whatever exists, as when mailcow's domain lookup fails. */
        LISTING_ANSWERS_EMPTY,
        /** Before 2022-01: {@code get/mailbox/reduced} answers {@code {}} like an unknown username. */
        NO_REDUCED_LISTING,
        /** 2022-05: {@code GET get/mailbox/{id}} answers the list of all mailboxes. */
        BUG_2022_05,
        /** Before 2022-12: a successful add answers one entry, without {@code rl_saved}. */
        PRE_2022_12
    }

    private final Deque<Fault> queued = new ArrayDeque<>();
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile CountDownLatch hangRelease = new CountDownLatch(0);
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration deleteLatency = Duration.ZERO;
    private final Set<String> omittedFromListing = ConcurrentHashMap.newKeySet();
    private final Set<Quirk> quirks = ConcurrentHashMap.newKeySet();
    private volatile DangerButCreated dangerButCreated;

    /** Carries out the request whose answer a fault then drops. */
    @FunctionalInterface
    interface Apply {
        void run() throws Exception;
    }

    // ---- the requests' fate: faults, hanging, latency

    synchronized void failNext(int n, Fault fault) {
        for (int i = 0; i < n; i++) {
            queued.add(fault);
        }
    }

    /** The fault the next request meets, if any. */
    synchronized Optional<Fault> next() {
        return Optional.ofNullable(queued.poll());
    }

    /** Meets {@code fault}: answers it, or holds and cuts the connection, or applies and drops it. */
    void meet(Fault fault, HttpServerExchange ex, Apply apply) throws Exception {
        switch (fault) {
            case Fault.Status s -> new FakeMailcowAnswer(s.code(), s.body()).writeTo(ex);
            case Fault.Stall s -> {
                pause(s.duration());
                ex.getConnection().close();
            }
            case Fault.Drop x -> ex.getConnection().close();
            case Fault.Garbage x ->
                new FakeMailcowAnswer(200, "<html><body>Fatal error: Uncaught PDOException</body></html>").writeTo(ex);
            case Fault.DropAfterApplying x -> {
                apply.run();
                ex.getConnection().close();
            }
        }
    }

    void setHang(boolean on) {
        if (on) {
            hangRelease = new CountDownLatch(1);
        } else {
            hangRelease.countDown();
        }
    }

    /** Released (count 0) unless the fake hangs; then it is released by {@code setHang(false)} or close. */
    CountDownLatch hangRelease() {
        return hangRelease;
    }

    void setLatency(Duration d) {
        latency = d;
    }

    /** Waits the latency set (the time PHP and bcrypt would take), or until the fake closes. */
    void delay() throws InterruptedException {
        Duration d = latency;
        if (!d.isZero()) {
            pause(d);
        }
    }

    /** Waits this long, or until the fake closes. */
    void pause(Duration d) throws InterruptedException {
        closing.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends every wait: hanging and stalled requests, slow deletions. */
    void close() {
        closing.countDown();
        hangRelease.countDown();
    }

    // ---- slow deletions

    void setDeleteLatency(Duration d) {
        deleteLatency = d;
    }

    /** The time each mailbox a {@code delete/mailbox} call deletes takes; zero by default. */
    Duration deleteLatency() {
        return deleteLatency;
    }

    // ---- listings

    void omitFromListing(String username) {
        omittedFromListing.add(username.toLowerCase(Locale.ROOT));
    }

    boolean isOmittedFromListing(String username) {
        return omittedFromListing.contains(username);
    }

    // ---- answers of other mailcow versions

    /** {@code null} ends it. */
    void setDangerButCreated(DangerButCreated d) {
        dangerButCreated = d;
    }

    Optional<DangerButCreated> dangerButCreated() {
        return Optional.ofNullable(dangerButCreated);
    }

    // ---- quirks

    void set(Quirk quirk, boolean on) {
        if (on) {
            quirks.add(quirk);
        } else {
            quirks.remove(quirk);
        }
    }

    boolean has(Quirk quirk) {
        return quirks.contains(quirk);
    }
}
