package org.mailadm.core.token;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A token: the right to create up to {@code maxUse} accounts named {@code prefix + random}, each
 * living for {@code expiry}.
 *
 * @param prefix the local-part prefix of created addresses, possibly empty ({@code tmp.})
 * @param maxUse how many accounts the token may create in total
 * @param useCount how many it has created so far; never reset by a modification
 * @param policy validity window, grace period and quota (mailadm's additions)
 */
public record Token(
        TokenName name,
        TokenSecret secret,
        Expiry expiry,
        String prefix,
        int maxUse,
        int useCount,
        TokenPolicy policy) {
    /** Default number of uses, as in the original. */
    public static final int DEFAULT_MAX_USE = 50;
    /** Default address prefix, as in the original. */
    public static final String DEFAULT_PREFIX = "tmp.";
    /** Longest accepted prefix; the whole local part must stay below 64 characters. */
    public static final int MAX_PREFIX_LENGTH = 40;

    private static final Pattern PREFIX = Pattern.compile("([a-zA-Z0-9][a-zA-Z0-9._-]*)?");

    public Token {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(secret, "secret == null");
        Objects.requireNonNull(expiry, "expiry == null");
        checkPrefix(prefix);
        if (maxUse < 0) {
            throw new IllegalArgumentException("maxuse must not be negative");
        }
        if (useCount < 0) {
            throw new IllegalArgumentException("usecount must not be negative");
        }
        Objects.requireNonNull(policy, "policy == null");
    }

    /** A token as the original knew them: always valid, no grace period, default quota. */
    public Token(TokenName name, TokenSecret secret, Expiry expiry, String prefix, int maxUse, int useCount) {
        this(name, secret, expiry, prefix, maxUse, useCount, TokenPolicy.NONE);
    }

    /**
     * Checks an address prefix: empty, or a letter or digit followed by letters, digits, {@code .},
     * {@code _} and {@code -}.
     */
    public static String checkPrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix == null");
        if (prefix.length() > MAX_PREFIX_LENGTH) {
            throw new IllegalArgumentException("prefix must be at most " + MAX_PREFIX_LENGTH + " characters");
        }
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException(
                    "invalid prefix '" + Expiry.printable(prefix) + "': it must start with a letter or digit"
                            + " and contain only letters, digits, '.', '_' and '-'");
        }
        return prefix;
    }

    /** True when no further account may be created with this token. */
    public boolean isExhausted() {
        return useCount >= maxUse;
    }

    /** This token with one more use counted. */
    public Token withOneMoreUse() {
        return new Token(name, secret, expiry, prefix, maxUse, useCount + 1, policy);
    }

    /** This token with another secret (everything else, the use count included, stays). */
    public Token withSecret(TokenSecret newSecret) {
        return new Token(name, newSecret, expiry, prefix, maxUse, useCount, policy);
    }
}
