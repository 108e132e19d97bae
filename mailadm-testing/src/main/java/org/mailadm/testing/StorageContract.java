package org.mailadm.testing;

import org.junit.jupiter.api.BeforeEach;
import org.mailadm.core.port.Storage;

/**
 * The behaviour every {@link Storage} must have: the contract of each storage port, run against a
 * fresh store per test. Subclass it once per implementation; the same tests run against the
 * in-memory fake and the real adapters.
 */
public abstract class StorageContract
        implements SettingsStoreContract,
                TokenStoreContract,
                AccountStoreContract,
                LeaseStoreContract,
                AuditLogContract {
    private Storage storage;

    /** A fresh, empty storage. */
    protected abstract Storage createStorage() throws Exception;

    @BeforeEach
    void setUpStorage() throws Exception {
        storage = createStorage();
    }

    @Override
    public Storage storage() {
        return storage;
    }
}
