package org.mailadm.core.account;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An e-mail address that mailadm may manage: a local part of letters, digits, {@code .}, {@code _}
 * and {@code -} that starts with a letter or digit, and a domain name. Both parts are lower case
 * (mailcow stores addresses in lower case).
 */
public record EmailAddress(String localPart, String domain) implements Comparable<EmailAddress> {
    private static final Pattern DOMAIN =
            Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]");

    /** The last domain that passed the check; none at first (an empty one never passes). */
    private static volatile String lastValidDomain;

    public EmailAddress {
        Objects.requireNonNull(localPart, "localPart == null");
        Objects.requireNonNull(domain, "domain == null");
        if (!isLocalPart(localPart)) {
            throw new IllegalArgumentException("invalid local part '" + printable(localPart)
                    + "': it must start with a letter or digit and contain only letters, digits, '.', '_'"
                    + " and '-' (at most 64 characters)");
        }
        checkDomain(domain);
    }

    /**
     * {@code [a-z0-9][a-z0-9._-]{0,63}}, without a regular expression: listings check tens of
     * thousands of addresses, and a command has no time to compile the regex engine's hot loop.
     */
    private static boolean isLocalPart(String s) {
        int n = s.length();
        if (n == 0 || n > 64 || !isLowerAlnum(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (!isLowerAlnum(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerAlnum(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /**
     * Parses {@code local@domain}, lower-casing it.
     *
     * @throws IllegalArgumentException saying what is wrong with the address
     */
    public static EmailAddress parse(String address) {
        Objects.requireNonNull(address, "address == null");
        String lower = address.trim().toLowerCase(Locale.ROOT);
        int at = lower.indexOf('@');
        if (at < 0 || at != lower.lastIndexOf('@')) {
            throw new IllegalArgumentException(
                    "invalid address '" + printable(address) + "': it must contain exactly one @");
        }
        return new EmailAddress(lower.substring(0, at), lower.substring(at + 1));
    }

    /**
     * Checks a mail domain name (lower case, dot-separated labels).
     *
     * @return the domain
     */
    public static String checkDomain(String domain) {
        // Listings hold thousands of addresses of one domain: remember the last domain that passed.
        if (domain.equals(lastValidDomain)) {
            return domain;
        }
        if (!DOMAIN.matcher(domain).matches()) {
            throw new IllegalArgumentException(
                    "invalid domain '" + printable(domain) + "': expected a lower-case domain name like example.org");
        }
        lastValidDomain = domain;
        return domain;
    }

    @Override
    public int compareTo(EmailAddress other) {
        return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
        return localPart + "@" + domain;
    }

    static String printable(String input) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < input.length() && sb.length() < 80; i++) {
            char c = input.charAt(i);
            sb.append(c >= ' ' && c < 0x7f ? c : '?');
        }
        if (input.length() > 80) {
            sb.append("...");
        }
        return sb.toString();
    }
}
