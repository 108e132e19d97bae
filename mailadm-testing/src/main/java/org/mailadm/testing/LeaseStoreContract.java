package org.mailadm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link org.mailadm.core.port.LeaseStore} must have, run by {@link StorageContract} against each whole
 * store.
 */
public interface LeaseStoreContract extends StorageFixture {
    @Test
    default void lease_heldByOneHolderUntilReleasedOrExpired() {
        Duration ttl = Duration.ofMinutes(10);
        assertThat(storage().tryLease("prune", "a", NOW, ttl)).isTrue();
        assertThat(storage().tryLease("prune", "b", NOW.plusSeconds(60), ttl)).isFalse();
        assertThat(storage().tryLease("prune", "a", NOW.plusSeconds(60), ttl))
                .as("renewal by the holder")
                .isTrue();
        assertThat(storage().tryLease("other", "b", NOW, ttl)).isTrue();
        storage().releaseLease("prune", "b");
        assertThat(storage().tryLease("prune", "b", NOW.plusSeconds(120), ttl))
                .as("b cannot release a's lease")
                .isFalse();
        storage().releaseLease("prune", "a");
        assertThat(storage().tryLease("prune", "b", NOW.plusSeconds(120), ttl)).isTrue();
        assertThat(storage().tryLease("prune", "c", NOW.plusSeconds(120).plus(ttl), ttl))
                .as("expired lease is free")
                .isTrue();
    }
}
