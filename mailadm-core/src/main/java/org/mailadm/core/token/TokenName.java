package org.mailadm.core.token;

import java.util.Objects;

/**
 * The name of a token, as an operator types it ({@code oneday}, {@code pytest:web}).
 *
 * <p>It appears in URLs, file names and mailcow tags, so it must not be empty, must not contain
 * {@code / ? % #}, whitespace or control characters, and must not start with a dot.
 */
public record TokenName(String value) implements Comparable<TokenName> {
    /** Longest accepted name; long enough for any human name, short enough for a file name. */
    public static final int MAX_LENGTH = 64;

    public TokenName {
        Objects.requireNonNull(value, "value == null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("token name must not be empty");
        }
        if (value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("token name must be at most " + MAX_LENGTH + " characters");
        }
        if (value.startsWith(".")) {
            throw new IllegalArgumentException("token name must not start with a dot (.)");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c == '?' || c == '%' || c == '#') {
                throw new IllegalArgumentException("no /, ?, %, or # allowed in the token name");
            }
            if (Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c)) {
                throw new IllegalArgumentException("no spaces or control characters allowed in the token name");
            }
        }
    }

    /** Parses a name typed by a person; same rules as the constructor. */
    public static TokenName of(String value) {
        return new TokenName(value);
    }

    @Override
    public int compareTo(TokenName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
