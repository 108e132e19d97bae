package org.mailadm.http;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailProviderHeldBackException;
import org.mailadm.core.port.MailProviderHeldBackException.Why;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;
import org.mailadm.core.port.NewMailbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's mail provider behind a bulkhead and two circuit breakers (Resilience4j), so that a
 * sick mailcow neither takes the server down nor gets its host banned.
 *
 * <ul>
 *   <li><b>Bulkhead</b>: at most {@code MAILCOW_MAX_CALLS} calls in flight (mailcow's API runs in
 *       its {@code web-worker} PHP pool of 50, {@code data/conf/phpfpm/php-fpm.d/pools.conf}, shared
 *       with its web interface and SOGo); a call that gets no slot within {@code MAILCOW_QUEUE_WAIT}
 *       (at most half of {@code MAILCOW_TIMEOUT}) is held back.
 *   <li><b>Key rejected</b>: mailcow reports every rejected key or client address to its fail2ban,
 *       which bans the source after 10 failures in 10 minutes ({@code contracts/mailcow-api.md} §2).
 *       One rejection (401, or the 403 of a read-only key) opens this breaker for {@code
 *       MAILCOW_COOLDOWN}; then one probe call, and a second rejection opens it again. Until a call
 *       has shown the key works, calls go one at a time ({@link #call}). So a wrong key costs
 *       at most two rejected calls per cool-down, whatever the traffic; a key revoked in mailcow while
 *       calls are in flight costs those calls once (at most {@code MAILCOW_MAX_CALLS}).
 *   <li><b>Unreachable</b>: 5 timeouts or connection failures in a row (no successful call between
 *       them) open it for 30 seconds; then one probe call.
 * </ul>
 *
 * Held-back calls throw {@link MailProviderHeldBackException}, with how long to wait; so does the
 * rejected call that opened the key breaker. Each breaker logs one line per change of state, and
 * {@link #status()} tells health checks at once what the last call found. Thread-safe.
 */
public final class GuardedMailProvider implements MailProvider, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GuardedMailProvider.class);
    /** Wait after mailcow stopped answering, before one probe. */
    static final Duration UNREACHABLE_PAUSE = Duration.ofSeconds(30);
    /** What a client held back by the bulkhead is told to wait. */
    static final Duration BUSY_RETRY = Duration.ofSeconds(5);

    private final MailProvider delegate;
    private final Clock clock;
    private final Bulkhead bulkhead;
    private final CircuitBreaker keyRejected;
    private final CircuitBreaker unreachable;
    private final int unreachableCalls;
    private volatile Instant keyRejectedUntil = Instant.MIN;
    private volatile Instant unreachableUntil = Instant.MIN;
    private volatile String rejection = "";
    private volatile boolean keyWorks;
    private final Semaphore firstCall = new Semaphore(1);
    private final Duration queueWait;
    private volatile Status last = new Status(true, "not asked yet", Optional.empty());

    /**
     * What the last call to mailcow found, and whether calls are paused.
     *
     * @param ok false when the last call failed or a breaker is open
     * @param detail {@code ok}, or what is wrong and for how long calls are paused
     * @param pausedFor how long calls are held back, when a breaker is open
     */
    public record Status(boolean ok, String detail, Optional<Duration> pausedFor) {}

    GuardedMailProvider(MailProvider delegate, ServerConfig config, Clock clock, MeterRegistry registry) {
        this.delegate = delegate;
        this.clock = clock;
        this.unreachableCalls = config.guard().unreachableCalls();
        this.queueWait = min(config.mailcowQueueWait(), config.providerTimeout().dividedBy(2));
        this.bulkhead = Breakers.bulkhead(config.mailcowMaxCalls(), queueWait);
        this.keyRejected = Breakers.keyRejected(config.mailcowCooldown());
        this.unreachable = Breakers.unreachable(config.guard().unreachableCalls(), UNREACHABLE_PAUSE);
        keyRejected.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                keyRejectedUntil = clock.instant().plus(config.mailcowCooldown());
                LOG.error(
                        "{}; calls to mailcow paused for {} (mailcow's fail2ban bans after 10 rejections)",
                        rejection,
                        Words.duration(config.mailcowCooldown()));
            } else {
                LOG.warn(
                        "mailcow breaker key_rejected: {}",
                        Breakers.describe(e.getStateTransition().getToState()));
            }
        });
        unreachable.getEventPublisher().onStateTransition(e -> {
            if (e.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                unreachableUntil = clock.instant().plus(UNREACHABLE_PAUSE);
                LOG.error(
                        "mailcow did not answer {} calls in a row ({}); calls paused for {}",
                        config.guard().unreachableCalls(),
                        last.detail(),
                        Words.duration(UNREACHABLE_PAUSE));
            } else {
                LOG.warn(
                        "mailcow breaker unreachable: {}",
                        Breakers.describe(e.getStateTransition().getToState()));
            }
        });
        Breakers.registerMetrics(registry, bulkhead, List.of(keyRejected, unreachable));
    }

    /** mailcow rejected the key or our address (fail2ban counts these), or the key cannot write. */
    static boolean isRejection(Throwable e) {
        return e instanceof MailProviderException m
                && (m.kind() == MailProviderException.Kind.AUTHENTICATION_FAILED
                        || m.kind() == MailProviderException.Kind.IP_NOT_ALLOWED
                        || m.kind() == MailProviderException.Kind.READ_ONLY_KEY);
    }

    /** What health checks report: at once, without a call to mailcow. */
    public Status status() {
        Instant now = clock.instant();
        CircuitBreaker.State key = keyRejected.getState();
        if (key == CircuitBreaker.State.OPEN || (key == CircuitBreaker.State.HALF_OPEN && !rejection.isEmpty())) {
            Duration left = positive(Duration.between(now, keyRejectedUntil));
            return new Status(
                    false,
                    rejection + "; account creation paused"
                            + (left.isZero() ? ", the next call probes mailcow" : " for " + Words.duration(left)),
                    Optional.of(left));
        }
        if (unreachable.getState() != CircuitBreaker.State.CLOSED) {
            Duration left = positive(Duration.between(now, unreachableUntil));
            return new Status(
                    false,
                    "mailcow did not answer " + unreachableCalls + " calls in a row (" + last.detail() + ")"
                            + (left.isZero()
                                    ? "; the next call probes mailcow"
                                    : "; paused for " + Words.duration(left)),
                    Optional.of(left));
        }
        return last;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    /**
     * Until a call has shown that mailcow takes the key (at start, and again after a rejection), calls
     * go one at a time: a key that is wrong from the start (a bad {@code init}, a QR code already on
     * a poster) then costs one rejected call, not one per client that arrives at once. The others
     * wait for that call, at most the queue wait. Resilience4j's breaker cannot hold calls back
     * while it is closed, hence this gate.
     */
    private <T> T call(Supplier<T> call) {
        if (!keyWorks) {
            boolean gate;
            try {
                gate = firstCall.tryAcquire(queueWait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                gate = false;
            }
            if (!gate) {
                throw new MailProviderHeldBackException(
                        Why.TOO_MANY_CALLS, "mailcow's API key is being checked", BUSY_RETRY, null);
            }
            try {
                if (!keyWorks) {
                    return guarded(call);
                }
            } finally {
                firstCall.release();
            }
        }
        return guarded(call);
    }

    private <T> T guarded(Supplier<T> call) {
        try {
            return bulkhead.executeSupplier(
                    () -> keyRejected.executeSupplier(() -> unreachable.executeSupplier(() -> observed(call))));
        } catch (BulkheadFullException e) {
            throw new MailProviderHeldBackException(
                    Why.TOO_MANY_CALLS,
                    "too many calls to mailcow at once (MAILCOW_MAX_CALLS="
                            + bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + ")",
                    BUSY_RETRY,
                    null);
        } catch (CallNotPermittedException e) {
            Status s = status();
            boolean key = e.getCausingCircuitBreakerName().equals(keyRejected.getName());
            throw new MailProviderHeldBackException(
                    key ? Why.KEY_REJECTED : Why.UNREACHABLE,
                    s.detail(),
                    s.pausedFor().orElse(BUSY_RETRY),
                    null);
        } catch (MailProviderException e) {
            if (isRejection(e)) {
                Status s = status();
                throw new MailProviderHeldBackException(
                        Why.KEY_REJECTED, s.detail(), s.pausedFor().orElse(BUSY_RETRY), e);
            }
            throw e;
        }
    }

    /** Runs the call and remembers what it found, for health checks without a lag. */
    private <T> T observed(Supplier<T> call) {
        try {
            T result = call.get();
            last = new Status(true, "ok", Optional.empty());
            keyWorks = true;
            return result;
        } catch (MailProviderException e) {
            if (isRejection(e)) {
                rejection = e.getMessage();
                keyWorks = false;
            }
            last = new Status(false, e.getMessage(), Optional.empty());
            throw e;
        }
    }

    private void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    @Override
    public CreateMailboxResult createMailbox(NewMailbox mailbox) {
        return call(() -> delegate.createMailbox(mailbox));
    }

    @Override
    public List<MailboxDeletion> deleteMailboxes(List<EmailAddress> addresses) {
        return call(() -> delegate.deleteMailboxes(addresses));
    }

    @Override
    public Optional<Mailbox> findMailbox(EmailAddress address) {
        return call(() -> delegate.findMailbox(address));
    }

    @Override
    public boolean setActive(EmailAddress address, boolean active) {
        return call(() -> delegate.setActive(address, active));
    }

    @Override
    public List<Mailbox> listMailboxes() {
        return call(delegate::listMailboxes);
    }

    @Override
    public void checkHealth() {
        run(delegate::checkHealth);
    }

    @Override
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable c) {
            c.close();
        }
    }
}
