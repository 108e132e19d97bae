package org.mailadm.core.account;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.mailadm.core.token.TokenName;

/**
 * An e-mail account created by mailadm.
 *
 * @param createdAt creation time (stored in whole seconds)
 * @param ttl lifetime; {@code Duration.ofSeconds(Long.MAX_VALUE)} means never
 * @param token the token that created it
 * @param disabledAt when prune disabled its mailbox (tokens with a grace period); empty while enabled
 */
public record Account(
        EmailAddress address,
        Instant createdAt,
        Duration ttl,
        TokenName token,
        AccountState state,
        Optional<Instant> disabledAt) {
    /** The lifetime of accounts that never expire, as the original stores it. */
    public static final Duration FOREVER = Duration.ofSeconds(Long.MAX_VALUE);

    public Account {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(createdAt, "createdAt == null");
        Objects.requireNonNull(ttl, "ttl == null");
        Objects.requireNonNull(token, "token == null");
        Objects.requireNonNull(state, "state == null");
        if (ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must not be negative");
        }
        Objects.requireNonNull(disabledAt, "disabledAt == null");
    }

    /** An enabled account. */
    public Account(EmailAddress address, Instant createdAt, Duration ttl, TokenName token, AccountState state) {
        this(address, createdAt, ttl, token, state, Optional.empty());
    }

    /** True while prune has disabled its mailbox and the grace period runs. */
    public boolean isDisabled() {
        return disabledAt.isPresent();
    }

    /** When the account expires, or empty if it never does (including when the sum overflows). */
    public Optional<Instant> expiresAt() {
        try {
            long end = Math.addExact(createdAt.getEpochSecond(), ttl.getSeconds());
            if (end > Instant.MAX.getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.of(Instant.ofEpochSecond(end));
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** True when {@code date + ttl < now}, the original's rule. */
    public boolean isOverdue(Instant now) {
        return expiresAt().map(end -> end.isBefore(now)).orElse(false);
    }

    /** This account in another state. */
    public Account withState(AccountState newState) {
        return new Account(address, createdAt, ttl, token, newState, disabledAt);
    }
}
