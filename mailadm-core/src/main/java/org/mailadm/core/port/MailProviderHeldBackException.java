package org.mailadm.core.port;

import java.time.Duration;
import java.util.Objects;

/**
 * mailadm held the call back itself and sent nothing to the provider: a circuit breaker is open
 * (the provider rejected our key, or stopped answering), or too many calls are in flight already.
 * The caller may try again after {@link #retryAfter()}; the web API answers 503 with {@code
 * Retry-After}.
 */
public final class MailProviderHeldBackException extends MailProviderException {
    private final Why why;
    private final Duration retryAfter;

    /** Why the call was held back. */
    public enum Why {
        /** The provider rejected the API key or this address (or the key is read-only): calls paused for a cool-down. */
        KEY_REJECTED,
        /** The provider did not answer several calls in a row: calls paused briefly, then one probe. */
        UNREACHABLE,
        /** As many calls as the provider should get at once are in flight already. */
        TOO_MANY_CALLS
    }

    /**
     * @param message what an operator reads: why, and for how long (never a secret)
     * @param retryAfter how long until a call may be tried again, at least one second
     */
    public MailProviderHeldBackException(Why why, String message, Duration retryAfter, Throwable cause) {
        super(Kind.HELD_BACK, message, false, cause, true);
        this.why = Objects.requireNonNull(why, "why == null");
        this.retryAfter = retryAfter.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : retryAfter;
    }

    public Why why() {
        return why;
    }

    /** At least one second. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
