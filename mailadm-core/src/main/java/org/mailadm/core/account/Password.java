package org.mailadm.core.account;

import java.util.Objects;

/** An account password. {@link #toString()} hides it; {@link #value()} is for the one place that sends it. */
public record Password(String value) {
    public Password {
        Objects.requireNonNull(value, "value == null");
        if (value.isEmpty()) {
            throw new IllegalArgumentException("password must not be empty");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw new IllegalArgumentException("password must not contain control characters");
            }
        }
    }

    @Override
    public String toString() {
        return "Password[***]";
    }
}
