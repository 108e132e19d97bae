package org.mailadm.cli;

/** Wrong arguments (exit 2). */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
