package org.mailadm.core.token;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a token does beyond the original's fields: when it may be used, how prune removes its
 * accounts, and how large their mailboxes are.
 *
 * @param validFrom the endpoint refuses the token before this instant (empty: no start)
 * @param validUntil the endpoint refuses the token from this instant on (empty: no end)
 * @param grace when present, prune first disables an expired account's mailbox and deletes it only
 *     this long after; {@code mailadm restore} reactivates it meanwhile
 * @param quotaMiB mailbox quota of created accounts in MiB; 0 leaves the provider's default
 */
public record TokenPolicy(
        Optional<Instant> validFrom, Optional<Instant> validUntil, Optional<Expiry> grace, long quotaMiB) {

    /** The original's behaviour: always valid, deleted at once, default quota. */
    public static final TokenPolicy NONE = new TokenPolicy(Optional.empty(), Optional.empty(), Optional.empty(), 0);

    /** Largest quota accepted: 16 TiB. */
    public static final long MAX_QUOTA_MIB = 16L * 1024 * 1024;

    private static final Pattern SIZE = Pattern.compile("([0-9]{1,9})([MGT]?)(i?B)?", Pattern.CASE_INSENSITIVE);

    public TokenPolicy {
        Objects.requireNonNull(validFrom, "validFrom == null");
        Objects.requireNonNull(validUntil, "validUntil == null");
        Objects.requireNonNull(grace, "grace == null");
        if (validFrom.isPresent() && validUntil.isPresent() && !validFrom.get().isBefore(validUntil.get())) {
            throw new IllegalArgumentException("--valid-from must be before --valid-until");
        }
        if (grace.isPresent() && grace.get().isNever()) {
            throw new IllegalArgumentException(
                    "a grace period of never would keep every account: use a duration" + " such as 7d, or none");
        }
        if (quotaMiB < 0 || quotaMiB > MAX_QUOTA_MIB) {
            throw new IllegalArgumentException("quota must be between 0 (the mail server's default) and 16T");
        }
    }

    /** Where an instant lies relative to the validity window. */
    public enum Validity {
        NOT_YET,
        VALID,
        ENDED
    }

    public Validity validityAt(Instant now) {
        if (validFrom.isPresent() && now.isBefore(validFrom.get())) {
            return Validity.NOT_YET;
        }
        if (validUntil.isPresent() && !now.isBefore(validUntil.get())) {
            return Validity.ENDED;
        }
        return Validity.VALID;
    }

    public TokenPolicy withValidFrom(Optional<Instant> from) {
        return new TokenPolicy(from, validUntil, grace, quotaMiB);
    }

    public TokenPolicy withValidUntil(Optional<Instant> until) {
        return new TokenPolicy(validFrom, until, grace, quotaMiB);
    }

    public TokenPolicy withGrace(Optional<Expiry> newGrace) {
        return new TokenPolicy(validFrom, validUntil, newGrace, quotaMiB);
    }

    public TokenPolicy withQuotaMiB(long quota) {
        return new TokenPolicy(validFrom, validUntil, grace, quota);
    }

    /**
     * Parses the start of a validity window: {@code none}, a date ({@code 2026-12-01}: its first
     * second, UTC) or a date and time ({@code 2026-12-01T09:00}, UTC unless an offset is given).
     */
    public static Optional<Instant> parseFrom(String text) {
        return parseInstant(text, false);
    }

    /**
     * Parses the end of a validity window: like {@link #parseFrom}, but a date alone means the end
     * of that day, UTC ({@code --valid-until 2026-12-31} still accepts the token on New Year's Eve).
     */
    public static Optional<Instant> parseUntil(String text) {
        return parseInstant(text, true);
    }

    private static Optional<Instant> parseInstant(String text, boolean endOfDay) {
        String t = Objects.requireNonNull(text, "text == null").strip();
        if (t.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        try {
            if (t.length() == 10) {
                LocalDate d = LocalDate.parse(t);
                return Optional.of((endOfDay ? d.plusDays(1) : d).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            if (t.endsWith("Z") || t.matches(".*[+-][0-9]{2}:[0-9]{2}$")) {
                return Optional.of(OffsetDateTime.parse(t).toInstant());
            }
            return Optional.of(LocalDateTime.parse(t).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid date '" + Expiry.printable(t)
                    + "': use 2026-12-31, 2026-12-31T18:00 (UTC), 2026-12-31T18:00+01:00, or none");
        }
    }

    /** Parses a grace period: an expiry code such as {@code 7d}, or {@code none}. */
    public static Optional<Expiry> parseGrace(String text) {
        String t = Objects.requireNonNull(text, "text == null").strip();
        if (t.equalsIgnoreCase("none") || t.equals("0")) {
            return Optional.empty();
        }
        Expiry e = Expiry.parse(t);
        if (e.isNever()) {
            throw new IllegalArgumentException(
                    "a grace period of never would keep every account: use a duration" + " such as 7d, or none");
        }
        return Optional.of(e);
    }

    /** Parses a quota: {@code 500M}, {@code 2G}, {@code 1T} (MiB when no unit), or {@code 0}/{@code none}. */
    public static long parseQuotaMiB(String text) {
        String t = Objects.requireNonNull(text, "text == null").strip();
        if (t.equalsIgnoreCase("none")) {
            return 0;
        }
        Matcher m = SIZE.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "invalid quota '" + Expiry.printable(t) + "': use a size such as 500M, 2G or 1T, or none");
        }
        long n = Long.parseLong(m.group(1));
        long mib = switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "G" -> n * 1024;
            case "T" -> n * 1024 * 1024;
            default -> n;
        };
        if (mib > MAX_QUOTA_MIB) {
            throw new IllegalArgumentException("invalid quota '" + t + "': at most 16T");
        }
        return mib;
    }

    /** A quota as {@code 500M} / {@code 2G}, or {@code default}. */
    public static String formatQuota(long mib) {
        if (mib == 0) {
            return "default";
        }
        if (mib % (1024 * 1024) == 0) {
            return mib / (1024 * 1024) + "T";
        }
        return mib % 1024 == 0 ? mib / 1024 + "G" : mib + "M";
    }
}
