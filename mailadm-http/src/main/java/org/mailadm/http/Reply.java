package org.mailadm.http;

import java.time.Duration;
import org.mailadm.core.account.AccountCreation;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.MailProviderHeldBackException;
import org.mailadm.core.token.TokenPolicy;

/**
 * An error answer of the web API: status, the {@code reason} Delta Chat shows the user verbatim,
 * and an outcome label for logs and metrics. Every mapping from an outcome to HTTP lives here.
 */
record Reply(int status, String reason, String outcome, long retryAfterSeconds) {
    Reply(int status, String reason, String outcome) {
        this(status, reason, outcome, 0);
    }

    static final Reply TOKEN_MISSING = new Reply(403, "?t (token) parameter not specified", "token_missing");
    static final Reply TOKEN_TWICE = new Reply(400, "?t (token) parameter given more than once", "bad_request");
    static final Reply BAD_QUERY = new Reply(400, "the query string is not valid URL encoding", "bad_request");
    static final Reply BODY_TOO_LARGE =
            new Reply(413, "request body too large; this endpoint expects an empty body", "bad_request");
    static final Reply NOT_FOUND = new Reply(404, "not found", "not_found");
    private static final java.time.format.DateTimeFormatter DAY =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC);
    static final Reply INTERNAL = new Reply(500, "internal server error", "internal_error");
    /** A request that arrives while the server stops (a restart, an upgrade). */
    static final Reply STOPPING = new Reply(503, "the server is restarting; try again in 10 seconds", "stopping", 10);

    static final Reply UNAVAILABLE = new Reply(504, "mailcow not reachable", "provider_unavailable");
    /** Seconds a client is asked to wait when the database is busy. */
    static final int BUSY_RETRY_SECONDS = 5;
    /** Another process held the database's write lock for longer than the busy timeout. */
    static final Reply BUSY = new Reply(
            503,
            "the server is busy; try again in " + BUSY_RETRY_SECONDS + " seconds",
            "storage_busy",
            BUSY_RETRY_SECONDS);

    /** The error reply for a creation that did not create an account. */
    static Reply of(CreateAccountResult result, String rawToken) {
        return switch (result) {
            case CreateAccountResult.Created c -> throw new IllegalArgumentException("not an error");
            case CreateAccountResult.WouldCreate w -> throw new IllegalArgumentException("not an error");
            case CreateAccountResult.TokenNotFound n ->
                new Reply(403, "token " + sanitize(rawToken) + " is invalid", "token_invalid");
            case CreateAccountResult.TokenExhausted x ->
                new Reply(
                        403,
                        "this invitation code has been used up: it created the" + " most accounts it may ("
                                + x.token().maxUse() + "); ask whoever gave it to you for a new one",
                        "token_exhausted");
            case CreateAccountResult.TokenNotValid v ->
                v.validity() == TokenPolicy.Validity.NOT_YET
                        ? new Reply(
                                403,
                                "this invitation code is not valid yet: it works from "
                                        + DAY.format(
                                                v.token().policy().validFrom().orElseThrow()) + " (UTC)",
                                "token_not_yet_valid")
                        : new Reply(
                                403,
                                "this invitation code has expired: it worked until "
                                        + DAY.format(
                                                v.token().policy().validUntil().orElseThrow())
                                        + " (UTC); ask whoever gave it to you for a new one",
                                "token_expired");
            case CreateAccountResult.AddressTaken t ->
                t.where() == AccountCreation.Where.PROVIDER
                        ? new Reply(409, "user already exists in mailcow", "address_taken")
                        : new Reply(409, "user already exists in mailadm", "address_taken");
            case CreateAccountResult.ForeignDomain f -> INTERNAL;
            case CreateAccountResult.NoMatchingToken m -> INTERNAL;
            case CreateAccountResult.ProviderRejected r ->
                switch (r.reason()) {
                    case LIMIT_REACHED ->
                        new Reply(
                                503,
                                "the mail server has no room for new accounts right now; try again later or tell"
                                        + " its administrator",
                                "provider_rejected");
                    case QUOTA_ABOVE_MAXIMUM ->
                        new Reply(
                                500,
                                "this invitation code cannot be used: the mailbox size it gives is larger than the"
                                        + " mail server allows; please tell whoever gave it to you",
                                "token_misconfigured");
                    case DOMAIN_NOT_MANAGED, PASSWORD_REJECTED, INVALID_ADDRESS, OTHER ->
                        new Reply(
                                500,
                                "the mail server refused to create the account; please tell its administrator",
                                "provider_rejected");
                };
        };
    }

    /** The reply for a provider failure. */
    static Reply of(MailProviderException e) {
        return switch (e.kind()) {
            case UNAVAILABLE -> UNAVAILABLE;
            case HELD_BACK -> heldBack((MailProviderHeldBackException) e);
            case AUTHENTICATION_FAILED, READ_ONLY_KEY, IP_NOT_ALLOWED, BAD_RESPONSE, OTHER ->
                new Reply(500, "internal server error", "provider_error");
        };
    }

    /** 503 with {@code Retry-After}: mailadm did not call mailcow (breaker open, too many calls). */
    static Reply heldBack(MailProviderHeldBackException e) {
        return switch (e.why()) {
            case KEY_REJECTED ->
                comeBack(503, "the server cannot create accounts right now", "mailcow_key_rejected", e.retryAfter());
            case UNREACHABLE ->
                comeBack(503, "the mail server is not answering", "mailcow_unreachable", e.retryAfter());
            case TOO_MANY_CALLS ->
                comeBack(503, "too many accounts are being created right now", "mailcow_busy", e.retryAfter());
        };
    }

    /** 429 for too many creations, with the real wait in the reason and in {@code Retry-After}. */
    static Reply rateLimited(Duration wait) {
        return comeBack(429, "too many requests from your address", "rate_limited", wait);
    }

    /** 429 after too many invalid tokens from one address, with the real wait. */
    static Reply invalidTokens(Duration wait) {
        return comeBack(429, "too many invalid invitation codes from your address", "rate_limited", wait);
    }

    /** "{@code what}; try again in 5 minutes", with the same wait in {@code Retry-After}. */
    private static Reply comeBack(int status, String what, String outcome, Duration wait) {
        return new Reply(status, what + "; try again in " + Words.duration(wait), outcome, Words.seconds(wait));
    }

    /**
     * The token as the reason may echo it: printable ASCII only, at most 24 characters; anything
     * else is cut or replaced, so a huge or binary value is never sent back.
     */
    static String sanitize(String token) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < token.length() && sb.length() < 24; i++) {
            char c = token.charAt(i);
            sb.append(
                    (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "._-~".indexOf(c) >= 0
                            ? c
                            : '?');
        }
        if (token.length() > 24) {
            sb.append("...");
        }
        return sb.toString();
    }
}
