package org.mailadm.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.mailadm.core.account.EmailAddress;
import org.mailadm.core.port.CreateMailboxResult;
import org.mailadm.core.port.MailProvider;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.port.MailboxDeletion;
import org.mailadm.core.port.NewMailbox;

/** A {@link MailProvider} that records each call's latency in {@code mailadm_provider_seconds}. */
final class TimedMailProvider implements MailProvider, AutoCloseable {
    private final MailProvider delegate;
    private final MeterRegistry registry;

    TimedMailProvider(MailProvider delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.registry = registry;
    }

    /** One timer per operation, built once: registering on every call costs more than the record. */
    private final java.util.Map<String, Timer> timers = new java.util.concurrent.ConcurrentHashMap<>();

    private <T> T timed(String operation, Supplier<T> call) {
        Timer timer = timers.computeIfAbsent(
                operation,
                op -> Timer.builder("mailadm.provider")
                        .description("Latency of mail provider calls")
                        .tag("operation", op)
                        .publishPercentileHistogram()
                        .register(registry));
        return timer.record(call);
    }

    /** Closes the provider it times, if that can be closed. */
    @Override
    public void close() throws Exception {
        if (delegate instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Override
    public CreateMailboxResult createMailbox(NewMailbox mailbox) {
        return timed("create", () -> delegate.createMailbox(mailbox));
    }

    @Override
    public List<MailboxDeletion> deleteMailboxes(List<EmailAddress> addresses) {
        return timed("delete", () -> delegate.deleteMailboxes(addresses));
    }

    @Override
    public boolean setActive(EmailAddress address, boolean active) {
        return timed("edit", () -> delegate.setActive(address, active));
    }

    @Override
    public Optional<Mailbox> findMailbox(EmailAddress address) {
        return timed("find", () -> delegate.findMailbox(address));
    }

    @Override
    public List<Mailbox> listMailboxes() {
        return timed("list", delegate::listMailboxes);
    }

    @Override
    public void checkHealth() {
        timed("health", () -> {
            delegate.checkHealth();
            return null;
        });
    }
}
