package org.mailadm.testing;

import org.mailadm.core.port.Storage;

class InMemoryStorageTest extends StorageContract {
    @Override
    protected Storage createStorage() {
        return new InMemoryStorage();
    }
}
