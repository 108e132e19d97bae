package org.mailadm.core.port;

/**
 * The source of randomness for token secrets, passwords and local parts.
 *
 * <p>Production uses {@link java.security.SecureRandom}; tests use a deterministic fake. Safe for use
 * by many threads at once.
 */
public interface SecretGenerator {
    /** A uniformly distributed value in {@code [0, bound)}. */
    int nextInt(int bound);
}
