package org.mailadm.core.port;

import jakarta.inject.Inject;
import java.security.SecureRandom;

/** The production {@link SecretGenerator}: a {@link SecureRandom}, which is thread-safe. */
public final class SecureRandomSecretGenerator implements SecretGenerator {
    private final SecureRandom random = new SecureRandom();

    @Inject
    public SecureRandomSecretGenerator() {}

    @Override
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }
}
