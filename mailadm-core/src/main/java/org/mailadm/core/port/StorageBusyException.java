package org.mailadm.core.port;

/**
 * Another process held the database's write lock for longer than the storage waits (SQLite's busy
 * timeout); the operation did not happen and may be tried again a little later. The web API answers
 * 503 with {@code Retry-After}; the CLI names the processes to look at.
 */
public final class StorageBusyException extends StorageException {
    public StorageBusyException(String message, Throwable cause) {
        super(message, cause);
    }
}
