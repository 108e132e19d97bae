package org.mailadm.cli;

/** A refused or failed operation, with one line that says what was wrong and what to do (exit 1). */
final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
