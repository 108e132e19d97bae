package org.mailadm.http;

import java.time.Duration;

/** Durations as people read them in an answer or a log line: "1 second", "5 minutes". */
final class Words {
    private Words() {}

    /** Whole seconds below two minutes, else whole minutes; always rounded up, at least 1 second. */
    static String duration(Duration d) {
        long seconds = Math.max(1, (d.toMillis() + 999) / 1000);
        if (seconds < 120) {
            return seconds + (seconds == 1 ? " second" : " seconds");
        }
        long minutes = (seconds + 59) / 60;
        return minutes + " minutes";
    }

    /** Whole seconds, rounded up, at least 1: for {@code Retry-After}. */
    static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
