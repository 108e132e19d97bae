package org.mailadm.core.config;

import java.util.Objects;

/** The mail provider's API key (mailcow's {@code X-API-Key}). {@link #toString()} hides it. */
public record ApiKey(String value) {
    public ApiKey {
        Objects.requireNonNull(value, "value == null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("API key must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("API key must consist of printable ASCII characters");
            }
        }
    }

    /** The key with all but its last four characters masked, for display. */
    public String masked() {
        int keep = value.length() > 8 ? 4 : 0;
        return "*".repeat(Math.min(value.length() - keep, 12)) + value.substring(value.length() - keep);
    }

    @Override
    public String toString() {
        return "ApiKey[***]";
    }
}
