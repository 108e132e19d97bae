package org.mailadm.core.port;

/** The storage failed (disk, corruption, lock timeout); the operation did not happen. */
public class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public StorageException(String message) {
        super(message);
    }
}
