package org.mailadm.http;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.mailadm.core.port.MailProviderUnavailableException;

/**
 * The Resilience4j parts of {@link GuardedMailProvider}, configured as docs/architecture.md ("A sick
 * mailcow") describes them, and their gauges.
 */
final class Breakers {
    private Breakers() {}

    /**
     * At most {@code maxCalls} calls to mailcow at once; a caller waits at most {@code queueWait} for
     * a slot (never longer than half a call's timeout: a waiter that then got a slot would answer
     * later than the calls it waited behind).
     */
    static Bulkhead bulkhead(int maxCalls, Duration queueWait) {
        return Bulkhead.of(
                "mailcow",
                BulkheadConfig.custom()
                        .maxConcurrentCalls(maxCalls)
                        .maxWaitDuration(queueWait)
                        .build());
    }

    /** Opens at one rejection of the key or address, for {@code cooldown}; then lets one probe through. */
    static CircuitBreaker keyRejected(Duration cooldown) {
        return CircuitBreaker.of(
                "key_rejected",
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(1)
                        .minimumNumberOfCalls(1)
                        .failureRateThreshold(100)
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .waitDurationInOpenState(cooldown)
                        .recordException(GuardedMailProvider::isRejection)
                        .ignoreException(e -> !GuardedMailProvider.isRejection(e))
                        .build());
    }

    /** Opens when {@code calls} calls in a row got no answer, for {@code pause}; then one probe. */
    static CircuitBreaker unreachable(int calls, Duration pause) {
        return CircuitBreaker.of(
                "unreachable",
                CircuitBreakerConfig.custom()
                        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                        .slidingWindowSize(calls)
                        .minimumNumberOfCalls(calls)
                        .failureRateThreshold(100)
                        .permittedNumberOfCallsInHalfOpenState(1)
                        .waitDurationInOpenState(pause)
                        .recordException(e -> e instanceof MailProviderUnavailableException)
                        .ignoreException(e -> !(e instanceof MailProviderUnavailableException))
                        .build());
    }

    /** {@code mailadm_mailcow_circuit{breaker}} (0 closed, 1 open, 2 half-open) and {@code mailadm_mailcow_calls_available}. */
    static void registerMetrics(MeterRegistry registry, Bulkhead bulkhead, List<CircuitBreaker> breakers) {
        for (CircuitBreaker b : breakers) {
            Gauge.builder("mailadm.mailcow.circuit", b, c -> stateValue(c.getState()))
                    .description("State of the circuit breaker around mailcow: 0 closed, 1 open, 2 half-open")
                    .tag("breaker", b.getName())
                    .register(registry);
        }
        Gauge.builder(
                        "mailadm.mailcow.calls.available",
                        bulkhead,
                        b -> b.getMetrics().getAvailableConcurrentCalls())
                .description("Calls to mailcow that may start now (MAILCOW_MAX_CALLS minus those in flight)")
                .register(registry);
    }

    static String describe(CircuitBreaker.State s) {
        return switch (s) {
            case HALF_OPEN -> "one probe call allowed";
            case CLOSED -> "closed, calls flow again";
            case OPEN, FORCED_OPEN, DISABLED, METRICS_ONLY -> s.name().toLowerCase(Locale.ROOT);
        };
    }

    static double stateValue(CircuitBreaker.State s) {
        return switch (s) {
            case CLOSED -> 0;
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            case DISABLED, METRICS_ONLY -> 0;
        };
    }
}
