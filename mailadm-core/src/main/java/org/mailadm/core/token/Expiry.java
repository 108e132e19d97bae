package org.mailadm.core.token;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long the accounts of a token live: {@code 30s}, {@code 12h}, {@code 1d}, {@code 2w},
 * {@code 1y} (365 days) or {@code never}.
 *
 * <p>{@link #toString()} returns the code, so a value round-trips through the {@code expiry TEXT}
 * column of the original database. {@code never} is stored by the original as a ttl of {@link
 * Long#MAX_VALUE} seconds; {@link #seconds()} returns exactly that, and every computation with it
 * saturates instead of overflowing (see {@link org.mailadm.core.account.Account#expiresAt()}).
 */
public record Expiry(String code, long seconds) {
    /** Accounts never expire. */
    public static final Expiry NEVER = new Expiry("never", Long.MAX_VALUE);

    private static final Pattern CODE = Pattern.compile("([0-9]{1,12})([shdwy])");
    static final String UNITS_HELP =
            "use a number followed by a unit, s (seconds), h (hours), d (days), w (weeks) or y (years),"
                    + " e.g. 1d or 2w; or never";

    public Expiry {
        Objects.requireNonNull(code, "code == null");
        if (seconds <= 0) {
            throw new IllegalArgumentException("seconds must be positive");
        }
    }

    /**
     * Parses an expiry code.
     *
     * @throws IllegalArgumentException with a message listing the units, for anything else
     */
    public static Expiry parse(String code) {
        Objects.requireNonNull(code, "code == null");
        String trimmed = code.strip();
        if (trimmed.equals("never")) {
            return NEVER;
        }
        Matcher m = CODE.matcher(trimmed);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid expiry '" + printable(code) + "': " + UNITS_HELP);
        }
        long amount = Long.parseLong(m.group(1));
        if (amount == 0) {
            throw new IllegalArgumentException("invalid expiry '" + trimmed + "': must be at least 1 " + m.group(2));
        }
        long unit = switch (m.group(2)) {
            case "s" -> 1L;
            case "h" -> 3600L;
            case "d" -> 86_400L;
            case "w" -> 7 * 86_400L;
            case "y" -> 365 * 86_400L;
            default -> throw new AssertionError(m.group(2));
        };
        long seconds;
        try {
            seconds = Math.multiplyExact(amount, unit);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("invalid expiry '" + trimmed + "': too long; use never", e);
        }
        return new Expiry(trimmed, seconds);
    }

    /** True for {@link #NEVER}. */
    public boolean isNever() {
        return seconds == Long.MAX_VALUE;
    }

    /** The lifetime as a duration ({@code Duration.ofSeconds(Long.MAX_VALUE)} for never). */
    public Duration duration() {
        return Duration.ofSeconds(seconds);
    }

    @Override
    public String toString() {
        return code;
    }

    /** A short, printable rendering of untrusted input for error messages. */
    static String printable(String input) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < input.length() && sb.length() < 20; i++) {
            char c = input.charAt(i);
            sb.append(c >= ' ' && c < 0x7f ? c : '?');
        }
        if (input.length() > 20) {
            sb.append("...");
        }
        return sb.toString();
    }
}
