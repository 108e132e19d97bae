package org.mailadm.core.port;

/**
 * The mail provider failed in a way that is not an expected outcome of the call: it refused our
 * credentials, answered something unreadable, or reported an internal error.
 *
 * <p>{@link #outcomeUnknown()} tells whether the provider may have carried out the request anyway
 * (for example when the answer was lost), so callers know whether to verify before compensating.
 */
public class MailProviderException extends RuntimeException {
    private final Kind kind;
    private final boolean outcomeUnknown;

    /** What went wrong, for the message an operator sees and the status a client gets. */
    public enum Kind {
        /** The API key is wrong or inactive. */
        AUTHENTICATION_FAILED,
        /** The API key is valid but read-only. */
        READ_ONLY_KEY,
        /** The API key does not allow requests from this address. */
        IP_NOT_ALLOWED,
        /** The provider could not be reached or did not answer in time. */
        UNAVAILABLE,
        /** The provider answered something that is not its API's answer. */
        BAD_RESPONSE,
        /** The provider reported an error we do not know. */
        OTHER,
        /** mailadm did not call the provider: see {@link MailProviderHeldBackException}. */
        HELD_BACK
    }

    /**
     * A failure of one of the kinds that have no class of their own.
     *
     * @throws IllegalArgumentException for {@link Kind#UNAVAILABLE} and {@link Kind#HELD_BACK}: those
     *     are {@link MailProviderUnavailableException} and {@link MailProviderHeldBackException}, the
     *     one way each is expressed (and mapped to 504 and 503)
     */
    public MailProviderException(Kind kind, String message, boolean outcomeUnknown, Throwable cause) {
        this(withoutOwnClass(kind), message, outcomeUnknown, cause, true);
    }

    private static Kind withoutOwnClass(Kind kind) {
        if (kind == Kind.UNAVAILABLE || kind == Kind.HELD_BACK) {
            throw new IllegalArgumentException(kind + " has its own exception class; throw that");
        }
        return kind;
    }

    /** For the subclasses that carry {@link Kind#UNAVAILABLE} and {@link Kind#HELD_BACK}. */
    MailProviderException(Kind kind, String message, boolean outcomeUnknown, Throwable cause, boolean subclass) {
        super(message, cause);
        this.kind = kind;
        this.outcomeUnknown = outcomeUnknown;
    }

    public MailProviderException(Kind kind, String message, boolean outcomeUnknown) {
        this(kind, message, outcomeUnknown, null);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * True when asking again now would only be refused again: the provider rejected the API key or
     * this address (mailcow's fail2ban counts each such call), the key cannot write, or mailadm is
     * holding calls back. Use cases stop their run instead of trying the next item.
     */
    public boolean stopsTheRun() {
        return kind == Kind.AUTHENTICATION_FAILED
                || kind == Kind.IP_NOT_ALLOWED
                || kind == Kind.READ_ONLY_KEY
                || kind == Kind.HELD_BACK;
    }

    /** True when the request may have taken effect at the provider although it failed here. */
    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
