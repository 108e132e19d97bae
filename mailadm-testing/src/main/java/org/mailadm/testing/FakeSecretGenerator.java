package org.mailadm.testing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.mailadm.core.port.SecretGenerator;

/**
 * A deterministic {@link SecretGenerator}: a seeded pseudo-random sequence, optionally preceded by
 * scripted values (to force collisions). Thread-safe.
 */
public final class FakeSecretGenerator implements SecretGenerator {
    private final Random random;
    private final Deque<Integer> scripted = new ArrayDeque<>();

    public FakeSecretGenerator(long seed) {
        this.random = new Random(seed);
    }

    public FakeSecretGenerator() {
        this(42);
    }

    /** The next calls return these values (modulo the bound), before the seeded sequence resumes. */
    public synchronized FakeSecretGenerator thenReturn(int... values) {
        for (int v : values) {
            scripted.add(v);
        }
        return this;
    }

    /** Makes the next {@code count} draws return 0, so generated strings repeat. */
    public synchronized FakeSecretGenerator zeros(int count) {
        for (int i = 0; i < count; i++) {
            scripted.add(0);
        }
        return this;
    }

    @Override
    public synchronized int nextInt(int bound) {
        Integer next = scripted.poll();
        return next != null ? Math.floorMod(next, bound) : random.nextInt(bound);
    }
}
