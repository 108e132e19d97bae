package org.mailadm.core.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The secret part of a token URL ({@code ?t=...}); whoever knows it can create accounts.
 *
 * <p>{@link #toString()} never shows the value: use {@link #value()} where printing it is the point
 * (the token listing of the CLI).
 */
public record TokenSecret(String value) {
    /** Longest accepted secret. */
    public static final int MAX_LENGTH = 128;

    public TokenSecret {
        Objects.requireNonNull(value, "value == null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("token must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("token must be at most " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("token must consist of printable ASCII characters without spaces");
            }
        }
    }

    /** Constant-time comparison, for callers that compare secrets themselves. */
    public boolean matches(String candidate) {
        return MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "TokenSecret[***]";
    }
}
