package org.mailadm.testing;

import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the fake mailcow holds, as a real mailcow's tables do ({@code api}, {@code domain}, {@code
 * mailbox}, {@code tags_mailbox}; {@code shared/contracts/mailcow-api.md} §10): API keys, domains,
 * mailboxes and the password policy.
 *
 * <p>Keys are thread-safe on their own. Everything else is guarded by this object's lock: the
 * methods take it, and {@link FakeMailcowHttp} holds it while an endpoint ({@link
 * FakeMailcowWrites}, {@link FakeMailcowReads}) answers a request; slow deletions take it once per
 * mailbox.
 */
final class FakeMailcowState {
    private static final DateTimeFormatter DB_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** An API key: {@code access} is {@code "ro"} or {@code "rw"}; {@code allowFrom} lists IPs. */
    record Key(String access, List<String> allowFrom, boolean skipIpCheck) {}

    /** A domain's limits: 0 quotas (MiB) mean unlimited. */
    record Domain(int maxMailboxes, long defQuotaMiB, long maxQuotaMiB, long totalQuotaMiB) {}

    /**
     * mailcow's {@code PASSWD_POLICY} ({@code functions.inc.php} 277-318, contract §4.4): a minimum
     * length and the character classes required.
     */
    record PasswordPolicy(int length, boolean chars, boolean special, boolean lowerUpper, boolean numbers) {
        /** mailcow's default: length 6 and nothing else. */
        static final PasswordPolicy MAILCOW_DEFAULT = new PasswordPolicy(6, false, false, false, false);

        boolean accepts(String pw) {
            return pw.length() >= length
                    && (!chars || pw.matches(".*[a-zA-Z].*"))
                    && (!numbers || pw.matches(".*\\d.*"))
                    && (!special || pw.matches(".*[^a-zA-Z\\d].*"))
                    && (!lowerUpper || (pw.matches(".*[a-z].*") && pw.matches(".*[A-Z].*")));
        }
    }

    /** A mailbox, its row and tags; {@code created} and {@code modified} in mailcow's DB format. */
    static final class Box {
        final String username;
        final String localPart;
        final String domain;
        String name = "";
        long quotaBytes;
        int active = 1;
        String password;
        final TreeSet<String> tags = new TreeSet<>();
        final String created;
        String modified;
        long lastImapLogin;
        long lastSmtpLogin;

        /** A mailbox for a lower-case {@code local@domain}, created and modified {@code now}. */
        Box(String username, String password, Collection<String> tags, String now) {
            this.username = username;
            this.localPart = username.substring(0, username.indexOf('@'));
            this.domain = username.substring(username.indexOf('@') + 1);
            this.password = password;
            this.tags.addAll(tags);
            this.created = now;
            this.modified = now;
        }
    }

    private final Map<String, Key> keys = new ConcurrentHashMap<>();
    private final Map<String, Domain> domains = new TreeMap<>();
    private final Map<String, Box> boxes = new TreeMap<>();
    private final Clock clock;
    private PasswordPolicy policy = PasswordPolicy.MAILCOW_DEFAULT;

    FakeMailcowState(Clock clock) {
        this.clock = clock;
    }

    // ---- keys: matched case-insensitively, as MariaDB's collation does (contract §2)

    void addKey(String key, Key k) {
        keys.put(key.toUpperCase(Locale.ROOT), k);
    }

    void removeKey(String key) {
        keys.remove(key.toUpperCase(Locale.ROOT));
    }

    /** The key, given as mailcow cleans it (only {@code [A-Z0-9-]}, upper case); null if unknown. */
    Key key(String cleaned) {
        return keys.get(cleaned);
    }

    // ---- domains

    synchronized void addDomain(String domain, Domain d) {
        domains.put(domain, d);
    }

    synchronized Domain domain(String domain) {
        return domains.get(domain);
    }

    synchronized boolean isDomain(String domain) {
        return domains.containsKey(domain);
    }

    // ---- mailboxes; usernames are lower-cased, as mailcow looks them up case-insensitively

    /** The mailbox, or null. */
    synchronized Box box(String username) {
        return boxes.get(username.toLowerCase(Locale.ROOT));
    }

    /** What {@code read} makes of the mailbox (null if there is none), with the lock held. */
    synchronized <T> T read(String username, Function<Box, T> read) {
        return read.apply(box(username));
    }

    /** Changes the mailbox (null if there is none) with the lock held. */
    synchronized void change(String username, Consumer<Box> change) {
        change.accept(box(username));
    }

    /** Every mailbox, ordered by username; a live view, read with the lock held. */
    synchronized Collection<Box> boxes() {
        return boxes.values();
    }

    synchronized void put(Box b) {
        boxes.put(b.username, b);
    }

    /** Whether there was a mailbox to remove. */
    synchronized boolean remove(String username) {
        return boxes.remove(username.toLowerCase(Locale.ROOT)) != null;
    }

    synchronized List<String> usernames() {
        return List.copyOf(boxes.keySet());
    }

    synchronized List<String> usernamesTagged(String tag) {
        return boxes.values().stream()
                .filter(b -> b.tags.contains(tag))
                .map(b -> b.username)
                .toList();
    }

    /** Mailboxes of this domain; walks every mailbox (mailcow counts with an index). */
    synchronized long count(String domain) {
        return boxes.values().stream().filter(b -> b.domain.equals(domain)).count();
    }

    /** The quota (MiB) that the domain's mailboxes hold together. */
    synchronized long usedQuotaMiB(String domain) {
        return boxes.values().stream()
                .filter(b -> b.domain.equals(domain))
                .mapToLong(b -> b.quotaBytes / 1048576L)
                .sum();
    }

    // ---- policy and time

    synchronized void setPasswordPolicy(PasswordPolicy p) {
        policy = p;
    }

    synchronized boolean passwordOk(String pw) {
        return policy.accepts(pw);
    }

    /** The clock's time in mailcow's DB format ({@code yyyy-MM-dd HH:mm:ss}, UTC). */
    String now() {
        return LocalDateTime.ofInstant(clock.instant(), ZoneOffset.UTC).format(DB_TIME);
    }
}
