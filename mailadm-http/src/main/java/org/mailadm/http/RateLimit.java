package org.mailadm.http;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate: {@code count} events per {@code period} per client, with bursts up to {@code count}.
 * {@code 0} (or {@code off}) disables the limit.
 */
public record RateLimit(int count, Duration period) {
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})/(s|sec|min|h|hour)");

    public static final RateLimit OFF = new RateLimit(0, Duration.ofMinutes(1));

    public boolean enabled() {
        return count > 0;
    }

    /** Parses {@code 60/min}, {@code 5/s}, {@code 100/h}, {@code 0} or {@code off}. */
    public static RateLimit parse(String what, String text) {
        String t = text.trim();
        if (t.equals("0") || t.equals("off")) {
            return OFF;
        }
        Matcher m = FORMAT.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    what + " '" + t + "' is not a rate: use e.g. 60/min, 5/s, 100/h, or off");
        }
        Duration period = switch (m.group(2)) {
            case "s", "sec" -> Duration.ofSeconds(1);
            case "min" -> Duration.ofMinutes(1);
            default -> Duration.ofHours(1);
        };
        int count = Integer.parseInt(m.group(1));
        if (count == 0) {
            throw new IllegalArgumentException(
                    what + " '" + t + "' allows nothing: use at least 1 per period, or off to turn the limit off");
        }
        return new RateLimit(count, period);
    }
}
