package org.mailadm.core.port;

/** The mail provider could not be reached, or did not answer within the timeout (HTTP 504 on the web API). */
public final class MailProviderUnavailableException extends MailProviderException {
    public MailProviderUnavailableException(String message, boolean outcomeUnknown, Throwable cause) {
        super(Kind.UNAVAILABLE, message, outcomeUnknown, cause, true);
    }
}
