package org.mailadm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;
import org.mailadm.core.port.NewMailbox;

/**
 * A {@link MailProvider} in memory that records what it was asked and can be told to fail.
 * Thread-safe. Domains other than the managed ones are refused like mailcow refuses them.
 */
public final class FakeMailProvider implements MailProvider {
    private final Map<EmailAddress, Mailbox> mailboxes = new TreeMap<>();
    private final Map<EmailAddress, String> passwords = new TreeMap<>();
    private final List<String> managedDomains;
    private final Deque<RuntimeException> failures = new ArrayDeque<>();
    private final Deque<CreateMailboxResult> scriptedCreates = new ArrayDeque<>();
    private final AtomicInteger calls = new AtomicInteger();
    private volatile Duration latency = Duration.ZERO;
    /** When set, a failing create still creates the mailbox (the answer was lost). */
    private volatile boolean applyBeforeFailing;

    public FakeMailProvider(String... managedDomains) {
        this.managedDomains = managedDomains.length == 0 ? List.of("example.org") : List.of(managedDomains);
    }

    /** The next call (of any kind) throws this. */
    public synchronized FakeMailProvider failNextWith(RuntimeException e) {
        failures.add(e);
        return this;
    }

    /** The next call fails as a lost answer: a create takes effect, then the exception is thrown. */
    public synchronized FakeMailProvider failNextAfterApplying(MailProviderException e) {
        applyBeforeFailing = true;
        failures.add(e);
        return this;
    }

    /** The next create answers this instead of creating. */
    public synchronized FakeMailProvider nextCreateAnswers(CreateMailboxResult result) {
        scriptedCreates.add(result);
        return this;
    }

    public void setLatency(Duration d) {
        this.latency = d;
    }

    /** Adds a mailbox as if created elsewhere. */
    public synchronized void putMailbox(Mailbox mailbox) {
        mailboxes.put(mailbox.address(), mailbox);
    }

    /** Records an IMAP login. */
    public synchronized void setLastLogin(EmailAddress address, Instant when) {
        Mailbox m = mailboxes.get(address);
        mailboxes.put(address, new Mailbox(address, m.active(), Optional.of(when), m.tags()));
    }

    public int calls() {
        return calls.get();
    }

    public synchronized List<Mailbox> mailboxes() {
        return List.copyOf(mailboxes.values());
    }

    public synchronized boolean has(EmailAddress address) {
        return mailboxes.containsKey(address);
    }

    public synchronized Optional<String> passwordOf(EmailAddress address) {
        return Optional.ofNullable(passwords.get(address));
    }

    public void assertCreated(EmailAddress address) {
        assertThat(has(address)).as("mailbox %s exists", address).isTrue();
    }

    @Override
    public CreateMailboxResult createMailbox(NewMailbox mailbox) {
        pause();
        synchronized (this) {
            RuntimeException failure = nextFailure();
            if (failure != null) {
                if (applyBeforeFailing) {
                    applyBeforeFailing = false;
                    store(mailbox);
                }
                throw failure;
            }
            CreateMailboxResult scripted = scriptedCreates.poll();
            if (scripted != null) {
                return scripted;
            }
            if (!managedDomains.contains(mailbox.address().domain())) {
                return new CreateMailboxResult.Rejected(CreateMailboxResult.Reason.DOMAIN_NOT_MANAGED, "access_denied");
            }
            if (mailboxes.containsKey(mailbox.address())) {
                return new CreateMailboxResult.AlreadyExists();
            }
            store(mailbox);
            return new CreateMailboxResult.Created();
        }
    }

    private void store(NewMailbox mailbox) {
        mailboxes.put(
                mailbox.address(),
                new Mailbox(mailbox.address(), true, Optional.empty(), List.of(Mailbox.tagFor(mailbox.token()))));
        passwords.put(mailbox.address(), mailbox.password().value());
        quotas.put(mailbox.address(), mailbox.quotaMiB());
    }

    private final Map<EmailAddress, Long> quotas = new TreeMap<>();

    /** The quota (MiB, 0 = default) the mailbox was created with. */
    public synchronized Optional<Long> quotaOf(EmailAddress address) {
        return Optional.ofNullable(quotas.get(address));
    }

    @Override
    public boolean setActive(EmailAddress address, boolean active) {
        pause();
        synchronized (this) {
            throwIfFailing();
            Mailbox m = mailboxes.get(address);
            if (m == null) {
                return false;
            }
            mailboxes.put(address, new Mailbox(m.address(), active, m.lastLogin(), m.tags()));
            return true;
        }
    }

    @Override
    public List<MailboxDeletion> deleteMailboxes(List<EmailAddress> addresses) {
        if (addresses.isEmpty()) {
            return List.of();
        }
        pause();
        synchronized (this) {
            throwIfFailing();
            List<MailboxDeletion> out = new ArrayList<>();
            for (EmailAddress a : addresses) {
                if (mailboxes.remove(a) != null) {
                    passwords.remove(a);
                    out.add(MailboxDeletion.deleted(a));
                } else {
                    out.add(MailboxDeletion.failed(a, "access_denied"));
                }
            }
            return out;
        }
    }

    @Override
    public Optional<Mailbox> findMailbox(EmailAddress address) {
        pause();
        synchronized (this) {
            throwIfFailing();
            return Optional.ofNullable(mailboxes.get(address));
        }
    }

    private volatile Runnable beforeListing = () -> {};

    /** Runs {@code hook} at the start of every mailbox listing: for concurrency tests. */
    public void beforeListing(Runnable hook) {
        this.beforeListing = hook;
    }

    @Override
    public List<Mailbox> listMailboxes() {
        beforeListing.run();
        pause();
        synchronized (this) {
            throwIfFailing();
            return List.copyOf(mailboxes.values());
        }
    }

    @Override
    public void checkHealth() {
        pause();
        synchronized (this) {
            throwIfFailing();
        }
    }

    private RuntimeException nextFailure() {
        calls.incrementAndGet();
        return failures.poll();
    }

    private void throwIfFailing() {
        RuntimeException failure = nextFailure();
        if (failure != null) {
            throw failure;
        }
    }

    private void pause() {
        Duration d = latency;
        if (!d.isZero()) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
