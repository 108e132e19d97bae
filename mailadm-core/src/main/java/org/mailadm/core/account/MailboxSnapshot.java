package org.mailadm.core.account;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.Mailbox;

/**
 * The provider's mailboxes of the mail domain as one listing showed them, and the rule that a
 * listing's silence proves nothing.
 *
 * <p>A real mailcow leaves a mailbox out of {@code get/mailbox/all} when reading its details fails,
 * and answers {@code {}} ("no mailboxes") when its domain lookup comes back empty ({@code
 * functions.mailbox.inc.php}, {@code get mailboxes}); and a listing taken before a row was written
 * cannot show that row's mailbox. So every use case that drops, forgets or settles a row because its
 * mailbox seems absent reads the rows first, lists second, and confirms each absence with {@link
 * #confirmAbsent}, a lookup of that address alone. A listing that lacks a large part of the live
 * accounts ({@link #implausibility}) is reported and nothing is dropped on its word.
 *
 * <p>Only the configured mail domain is mailadm's: mailboxes of other domains on a shared mailcow are
 * left out of the snapshot.
 */
public final class MailboxSnapshot {
    /**
     * A listing may lack at most this many live accounts before the share rule applies: small
     * differences are confirmed one lookup each.
     */
    public static final int IMPLAUSIBLE_MISSING = 10;

    /** Lookups in flight at once when confirming absences. */
    private static final int LOOKUP_CONCURRENCY = 4;

    private final String mailDomain;
    private final Map<EmailAddress, Mailbox> byAddress;

    private MailboxSnapshot(String mailDomain, Map<EmailAddress, Mailbox> byAddress) {
        this.mailDomain = mailDomain;
        this.byAddress = byAddress;
    }

    /**
     * Lists the provider's mailboxes once and keeps those of {@code mailDomain}.
     *
     * @throws MailProviderException when the listing fails
     */
    public static MailboxSnapshot list(MailProvider provider, String mailDomain) {
        return of(provider.listMailboxes(), mailDomain);
    }

    /** A snapshot of a listing taken elsewhere (e.g. on another thread). */
    public static MailboxSnapshot of(List<Mailbox> listing, String mailDomain) {
        Map<EmailAddress, Mailbox> byAddress = new HashMap<>(listing.size() * 2);
        for (Mailbox m : listing) {
            if (m.address().domain().equals(mailDomain)) {
                byAddress.putIfAbsent(m.address(), m);
            }
        }
        return new MailboxSnapshot(mailDomain, byAddress);
    }

    /** The mailbox, if the listing showed it. Empty proves nothing: see {@link #confirmAbsent}. */
    public Optional<Mailbox> find(EmailAddress address) {
        return Optional.ofNullable(byAddress.get(address));
    }

    public boolean shows(EmailAddress address) {
        return byAddress.containsKey(address);
    }

    /** The listed mailboxes of the mail domain, in no particular order. */
    public Collection<Mailbox> mailboxes() {
        return Collections.unmodifiableCollection(byAddress.values());
    }

    /**
     * Why this listing cannot be trusted to show which mailboxes are gone, or empty when it can: it
     * lacks more than {@link #IMPLAUSIBLE_MISSING} of the live accounts and more than half of them
     * (an empty listing of a domain with many accounts, for one).
     *
     * @param live the accounts of the mail domain that should have a mailbox (active, older than the
     *     in-flight window)
     */
    public Optional<String> implausibility(Collection<Account> live) {
        long inDomain = live.stream()
                .filter(a -> a.address().domain().equals(mailDomain))
                .count();
        long missing = live.stream()
                .filter(a -> a.address().domain().equals(mailDomain))
                .filter(a -> !byAddress.containsKey(a.address()))
                .count();
        if (missing > IMPLAUSIBLE_MISSING && missing * 2 > inDomain) {
            return Optional.of("mailcow's mailbox list lacks " + missing + " of the " + inDomain + " accounts of "
                    + mailDomain + " (it showed " + byAddress.size() + " mailboxes of the domain); a list that short is"
                    + " more likely broken than true, so nothing was dropped on its word");
        }
        return Optional.empty();
    }

    /**
     * What lookups of each address alone found.
     *
     * @param present the addresses whose mailbox exists after all, with it
     * @param gone the addresses the provider says it has no mailbox for: proof of absence
     * @param unknown the addresses the provider could not be asked about, with the reason
     */
    public record Absences(
            Map<EmailAddress, Mailbox> present, Set<EmailAddress> gone, Map<EmailAddress, String> unknown) {
        public Absences {
            present = Collections.unmodifiableMap(new LinkedHashMap<>(present));
            gone = Collections.unmodifiableSet(new LinkedHashSet<>(gone));
            unknown = Collections.unmodifiableMap(new LinkedHashMap<>(unknown));
        }
    }

    /**
     * Looks each address up on its own, a few at a time. After the first failed lookup no more are
     * sent (a provider that fails once usually fails for all, and a rejected key must not be tried
     * again and again): the rest are unknown.
     */
    public static Absences confirmAbsent(MailProvider provider, Collection<EmailAddress> addresses) {
        Map<EmailAddress, Mailbox> present = new LinkedHashMap<>();
        Set<EmailAddress> gone = new LinkedHashSet<>();
        Map<EmailAddress, String> unknown = new LinkedHashMap<>();
        if (addresses.isEmpty()) {
            return new Absences(present, gone, unknown);
        }
        AtomicReference<String> failure = new AtomicReference<>();
        List<EmailAddress> list = List.copyOf(new LinkedHashSet<>(addresses));
        List<Future<Optional<Mailbox>>> lookups = new ArrayList<>(list.size());
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(LOOKUP_CONCURRENCY);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (EmailAddress a : list) {
                slots.acquireUninterruptibly();
                lookups.add(pool.submit(() -> {
                    try {
                        if (failure.get() != null) {
                            return null;
                        }
                        return provider.findMailbox(a);
                    } catch (MailProviderException e) {
                        failure.compareAndSet(null, e.getMessage());
                        return null;
                    } finally {
                        slots.release();
                    }
                }));
            }
        }
        for (int i = 0; i < list.size(); i++) {
            EmailAddress a = list.get(i);
            Optional<Mailbox> found;
            try {
                found = lookups.get(i).get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while looking mailboxes up", e);
            }
            if (found == null) {
                unknown.put(a, "mailcow could not be asked whether the mailbox exists: " + failure.get());
            } else if (found.isPresent()) {
                present.put(a, found.get());
            } else {
                gone.add(a);
            }
        }
        return new Absences(present, gone, unknown);
    }
}
