package org.mailadm.core.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mailadm.core.account.AccountCreation.CreateAccountResult;
import org.mailadm.core.audit.Audit;
import org.mailadm.core.port.MailProviderException;
import org.mailadm.core.port.Mailbox;
import org.mailadm.core.token.TokenName;
import org.mailadm.testing.FakeMailProvider;
import org.mailadm.testing.FakeSecretGenerator;
import org.mailadm.testing.InMemoryStorage;
import org.mailadm.testing.MutableClock;
import org.mailadm.testing.TestTokens;

class PrunerTest {
    private final InMemoryStorage storage = new InMemoryStorage();
    private final FakeMailProvider provider = new FakeMailProvider("example.org");
    private final MutableClock clock = MutableClock.atFixedStart();

    private Audit audit() {
        return new Audit(storage, clock, "cli:test");
    }

    private static final InFlightWindow WINDOW =
            InFlightWindow.forTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(15));

    private AccountCreation creation;
    private Pruner pruner;

    private Pruner pruner(org.mailadm.core.port.MailProvider p) {
        return new Pruner(
                storage,
                storage,
                storage,
                p,
                new AccountRemoval(storage, p, audit()),
                clock,
                audit(),
                InMemoryStorage.exampleSettings(),
                WINDOW);
    }

    @BeforeEach
    void setUp() {
        creation = new AccountCreation(
                storage,
                storage,
                provider,
                new FakeSecretGenerator(),
                clock,
                InMemoryStorage.exampleSettings(),
                new Audit(storage, clock, "test"));
        pruner = pruner(provider);
        storage.insertToken(TestTokens.aToken().build());
        storage.insertToken(TestTokens.aToken()
                .named("year")
                .withSecret("1y_s")
                .withExpiry("1y")
                .withPrefix("y.")
                .build());
    }

    private EmailAddress create(String token) {
        CreateAccountResult r = creation.createWithSecret(token);
        return ((CreateAccountResult.Created) r).account().address();
    }

    @Test
    void nothingOverdue_noProviderCall() {
        create("1d_r84EW3N8hEKk");
        int calls = provider.calls();
        PruneReport report = pruner.prune(false);
        assertThat(report.nothingToDo()).isTrue();
        assertThat(provider.calls()).isEqualTo(calls);
    }

    @Test
    void expiredShortLived_deletedInProviderAndStorage() {
        EmailAddress a = create("1d_r84EW3N8hEKk");
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        PruneReport report = pruner.prune(false);
        assertThat(report.deleted()).extracting(Account::address).containsExactly(a);
        assertThat(provider.has(a)).isFalse();
        assertThat(storage.findAccount(a)).isEmpty();
    }

    @Test
    void dryRun_changesNothing() {
        EmailAddress a = create("1d_r84EW3N8hEKk");
        clock.advance(Duration.ofDays(2));
        PruneReport report = pruner.prune(true);
        assertThat(report.dryRun()).isTrue();
        assertThat(report.deleted()).extracting(Account::address).containsExactly(a);
        assertThat(provider.has(a)).isTrue();
        assertThat(storage.findAccount(a)).isPresent();
    }

    @Test
    void longLivedRecentlyUsed_kept_idle_deleted_unknown_kept() {
        EmailAddress used = create("1y_s");
        EmailAddress idle = create("1y_s");
        EmailAddress unknown = create("1y_s");
        clock.advance(Duration.ofDays(366));
        provider.setLastLogin(used, clock.instant().minus(Duration.ofDays(10)));
        provider.setLastLogin(idle, clock.instant().minus(Duration.ofDays(100)));
        PruneReport report = pruner.prune(false);
        assertThat(report.deleted()).extracting(Account::address).containsExactly(idle);
        assertThat(report.keptUnknownLogin()).extracting(Account::address).containsExactly(unknown);
        assertThat(provider.has(used)).isTrue();
        assertThat(provider.has(unknown)).isTrue();
    }

    @Test
    void mailboxAlreadyGone_rowDeletedWithoutDeleteCall() {
        EmailAddress a = create("1d_r84EW3N8hEKk");
        provider.deleteMailboxes(java.util.List.of(a));
        clock.advance(Duration.ofDays(2));
        PruneReport report = pruner.prune(false);
        assertThat(report.deleted()).extracting(Account::address).containsExactly(a);
        assertThat(storage.findAccount(a)).isEmpty();
    }

    @Test
    void providerFailsDuringDelete_rowsKept() {
        EmailAddress a = create("1d_r84EW3N8hEKk");
        clock.advance(Duration.ofDays(2));
        // the listing succeeds, the delete call fails
        Pruner failingPruner = new Pruner(
                storage,
                storage,
                storage,
                provider,
                new AccountRemoval(storage, new FailingDeletes(provider), audit()),
                clock,
                audit(),
                InMemoryStorage.exampleSettings(),
                WINDOW);
        try {
            failingPruner.prune(false);
        } catch (MailProviderException expected) {
            // the whole batch failed: nothing may be deleted from storage
        }
        assertThat(storage.findAccount(a)).isPresent();
        assertThat(provider.has(a)).isTrue();
    }

    @Test
    void pendingAccounts_areNotPruned() {
        storage.reserveAccount(
                new org.mailadm.core.port.Storage.TokenKey.ByName(new TokenName("oneday")),
                EmailAddress.parse("tmp.pend1@example.org"),
                clock.instant());
        clock.advance(Duration.ofDays(2));
        assertThat(pruner.prune(false).nothingToDo()).isTrue();
        assertThat(storage.findAccount(EmailAddress.parse("tmp.pend1@example.org")))
                .isPresent();
    }

    /** A provider whose deletions always fail with an exception, delegating everything else. */
    private record FailingDeletes(FakeMailProvider delegate) implements org.mailadm.core.port.MailProvider {
        @Override
        public org.mailadm.core.port.CreateMailboxResult createMailbox(org.mailadm.core.port.NewMailbox m) {
            return delegate.createMailbox(m);
        }

        @Override
        public boolean setActive(EmailAddress a, boolean active) {
            return delegate.setActive(a, active);
        }

        @Override
        public java.util.List<org.mailadm.core.port.MailboxDeletion> deleteMailboxes(java.util.List<EmailAddress> a) {
            throw new MailProviderException(MailProviderException.Kind.OTHER, "boom", false);
        }

        @Override
        public Optional<Mailbox> findMailbox(EmailAddress a) {
            return delegate.findMailbox(a);
        }

        @Override
        public java.util.List<Mailbox> listMailboxes() {
            return delegate.listMailboxes();
        }

        @Override
        public void checkHealth() {}
    }
}
